"""Attachment and thumbnail bookkeeping of uploads and downloads."""
