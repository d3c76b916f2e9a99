"""File transfer for ``Shotgun``: uploads, thumbnails and downloads, streamed.

``Shotgun`` inherits :class:`FileTransferMethods`, which gathers one mixin per
concern: the HTTP side (openers, form posts), direct-to-storage uploads,
uploads and thumbnails, downloads. The mixins rely on the client for
``config``, ``_auth_params()``, ``server_info``, ``server_caps``,
``_user_agents``, ``get_session_token()``, ``MAX_ATTEMPTS`` and ``BACKOFF``
(read by the rules of ``_retry``) and ``_MULTIPART_UPLOAD_CHUNK_SIZE``.
"""
from __future__ import annotations

from .downloads import DownloadMethods
from .forms import FormPostHandler
from .progress import ProgressCallback
from .storage import StorageUploadMethods
from .transport import TransferTransport
from .uploads import UploadMethods

__all__ = ["FileTransferMethods", "FormPostHandler", "ProgressCallback"]


class FileTransferMethods(UploadMethods, StorageUploadMethods, DownloadMethods, TransferTransport):
    """The file methods of ``Shotgun`` and the internal seams test rigs patch.

    The seams are listed in docs/files.rst, Seams test rigs patch.
    """
