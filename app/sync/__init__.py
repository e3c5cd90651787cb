"""app/sync"""
