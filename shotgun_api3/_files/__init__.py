"""File transfer: uploads, thumbnails and downloads."""
import urllib.request


class FileTransferMethods:
    """File transfer methods of ``Shotgun``, provided by the file-transfer module."""


class FormPostHandler(urllib.request.BaseHandler):
    """urllib handler that encodes form posts, provided by the file-transfer module."""
