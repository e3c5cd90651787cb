"""Receipts and written notices as PDF (reportlab; no Qt, no database here).

`content.DocumentContent` is everything a document prints, assembled by
`app.services.documents`; the renderers turn it into PDF bytes.
"""
