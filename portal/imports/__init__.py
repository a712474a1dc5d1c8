"""Student imports from CSV and Excel class lists, and partner invitations from a list.

``reading`` turns an upload into rows of text (never evaluating a formula), ``columns``
recognises the headers of common student-system exports, ``checking`` validates every row
and sorts it into added / updated / unchanged, ``services`` applies a checked import (one
transaction: all or nothing) and ``invitations`` sends partner sign-up invitations.
"""
