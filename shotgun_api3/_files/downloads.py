"""Downloads of attachments, streamed to disk or returned as bytes.

With a ``file_path`` the body is written to that file in chunks, so memory
stays flat for any size; a download that fails is removed again, so it
leaves no partial file behind.
"""
from __future__ import annotations

import http.client
import http.cookiejar
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree
from typing import Any, Callable, Dict, Optional, Union

from .._errors import ShotgunFileDownloadError
from .progress import ProgressCallback, TransferProgress, reporting_progress

LOG = logging.getLogger("shotgun_api3")

#: Bytes read from the response per chunk.
DOWNLOAD_CHUNK_SIZE = 1024 * 1024


class DownloadTarget:
    """The file a download is written to, removed again if the download does not complete.

    Opened (created or truncated) before the request, as the reference client
    does, so an unwritable path fails before any traffic.
    """

    def __init__(self, file_path: Union[str, os.PathLike]) -> None:
        self.file_path = os.fspath(file_path)
        self.file = open(self.file_path, "wb")

    def commit(self) -> None:
        """Finish the file."""
        self.file.close()

    def discard(self) -> None:
        """Remove the unfinished file."""
        self.file.close()
        try:
            os.unlink(self.file_path)
        except FileNotFoundError:
            pass


def download_error_text(url: str, error: urllib.error.URLError) -> str:
    """The message of a failed download: the URL, the error and what the status code suggests."""
    text = "Failed to open %s\n%s" % (url, error)
    code = getattr(error, "code", None)
    if code == 400:
        text += "\nAttachment may not exist or is a local file?"
    elif code == 404:
        text += "\nNothing was found at this url."
    elif code == 403 and "s3.amazonaws.com" in url and _header(error, "content-type") == "application/xml":
        body = _error_body(error)
        if body:
            try:
                message = xml.etree.ElementTree.fromstring(body).find(".//Message")
            except xml.etree.ElementTree.ParseError:
                text = "%s\n%s\n" % (text, body)
            else:
                if message is not None and message.text:
                    text = "%s - %s" % (text, message.text)
    elif code in (409, 410):
        # 409: a malware scan is still running; 410: the file was quarantined.
        body = _error_body(error)
        if body:
            text += "\n%s\n" % body
    return text


def _header(error: Any, name: str) -> Optional[str]:
    headers = getattr(error, "headers", None)
    return headers.get(name) if headers is not None else None


def _error_body(error: Any) -> str:
    try:
        body = error.read(64 * 1024)
    except Exception:  # an error without a readable body has nothing to add
        return ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")


def unexpected_html_page(response: Any, requested_url: str, attachment: Any) -> bool:
    """Whether a 200 answer is an HTML page standing in for the file (a login or error page).

    Sites answer an unauthenticated download with a redirect to their login
    page; an attachment whose declared content type is not HTML should never
    come back as HTML either.
    """
    content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "text/html":
        return False
    if isinstance(attachment, dict) and attachment.get("content_type"):
        return "html" not in str(attachment["content_type"]).lower()
    final = urllib.parse.urlsplit(response.geturl() or requested_url)
    asked = urllib.parse.urlsplit(requested_url)
    return (final.netloc, final.path) != (asked.netloc, asked.path)


def _content_length(response: Any) -> Optional[int]:
    try:
        length = int(response.headers.get("Content-Length"))
    except (TypeError, ValueError):
        return None
    return length if length >= 0 else None


def deliver_chunk(sink: Callable[[bytes], Any], chunk: bytes, progress: Optional[TransferProgress]) -> None:
    """Hand one chunk of a download to ``sink`` and count it; a failed write is the client's ``IOError``."""
    try:
        sink(chunk)
    except OSError as error:
        raise IOError("Unable to write Attachment to disk using file_path. %s" % error) from error
    if progress is not None:
        progress.advance(len(chunk))


def _copy_body(response: Any, url: str, sink: Any, progress: Optional[TransferProgress],
               expected: Optional[int], reuse_buffer: bool = False) -> None:
    """Move the body to ``sink`` in chunks: read failures are download errors, write failures ``IOError``.

    With ``reuse_buffer`` (a sink that copies what it is given, such as a
    file's ``write``) the body is read into one buffer again and again
    instead of a fresh ``bytes`` per chunk.
    """
    received = 0
    buffer = None
    if reuse_buffer and hasattr(response, "readinto"):
        buffer = memoryview(bytearray(DOWNLOAD_CHUNK_SIZE))
    while True:
        try:
            if buffer is not None:
                count = response.readinto(buffer)
                chunk = buffer[:count]
            else:
                chunk = response.read(DOWNLOAD_CHUNK_SIZE)
                count = len(chunk)
        except (OSError, http.client.HTTPException) as error:
            raise ShotgunFileDownloadError("Failed to read %s\n%s" % (url, error)) from error
        if not count:
            break
        received += count
        deliver_chunk(sink, chunk, progress)
    # A sized read returns b"" when the connection drops early instead of
    # raising, so a short body is only noticed by counting.
    if expected is not None and received != expected:
        raise ShotgunFileDownloadError("Failed to read %s\nThe connection closed after %d of %d bytes."
                                       % (url, received, expected))


class DownloadMethods:
    """``download_attachment`` and its helpers on ``Shotgun``."""

    def download_attachment(self, attachment: Union[Dict[str, Any], int, None, bool] = False,
                            file_path: Optional[str] = None, attachment_id: Optional[int] = None, *,
                            progress_callback: Optional[ProgressCallback] = None) -> Union[str, bytes, None]:
        """Download an attachment: to ``file_path`` (returned) or as ``bytes``.

        ``attachment`` is an Attachment id, an attachment dict with a ``url``
        (a file/link field value), or an ``{"type": "Attachment", "id": N}``
        dict; ``None`` returns ``None``. ``attachment_id`` is the older keyword
        form of an id.

        With ``file_path`` the file is streamed to disk and removed again if
        the download fails. ``progress_callback(bytes_done, bytes_total)`` is called
        as bytes arrive (``bytes_total`` is ``None`` when the site does not say).

        Raises :class:`ShotgunFileDownloadError` when the URL answers an error
        or an HTML page in place of the file, and ``IOError`` when
        ``file_path`` cannot be written.
        """
        if attachment is False:
            if type(attachment_id) is int:
                attachment = attachment_id
            else:
                raise TypeError("Missing parameter 'attachment'. Expected a dict, int, NoneType value or "
                                "an int for parameter attachment_id")
        target = None
        if file_path:
            try:
                target = DownloadTarget(file_path)
            except OSError as error:
                raise IOError("Unable to write Attachment to disk using file_path. %s" % error) from error
        try:
            url = self.get_attachment_download_url(attachment)
            data = None if url is None else self._fetch_attachment(url, attachment, target, progress_callback)
        except BaseException:
            if target is not None:
                target.discard()
            raise
        if url is None:
            if target is not None:
                target.discard()
            return None
        if target is not None:
            target.commit()
            return file_path
        return data

    def _fetch_attachment(self, url: str, attachment: Any, target: Optional[DownloadTarget],
                          progress_callback: Optional[ProgressCallback]) -> Optional[bytes]:
        """GET ``url`` into ``target.file`` (then return None) or return the bytes.

        mockgun overrides this seam to serve its own stored files; keep the
        signature and the ``target.file`` attribute stable.
        """
        cookie_handler = self.get_auth_cookie_handler() if self.config.server in url else None
        opener = self._build_opener(cookie_handler)
        request = urllib.request.Request(url)
        request.add_header("user-agent", "; ".join(self._user_agents))
        try:
            response = opener.open(request)
        except urllib.error.URLError as error:
            raise ShotgunFileDownloadError(download_error_text(url, error)) from error
        except (OSError, http.client.HTTPException) as error:
            # urllib wraps errors of sending the request, not of reading the
            # answer's status line (a dropped connection, a timeout).
            raise ShotgunFileDownloadError("Failed to open %s\n%s" % (url, error)) from error
        with response:
            if unexpected_html_page(response, url, attachment):
                raise ShotgunFileDownloadError(
                    "Failed to open %s\nThe site answered an HTML page (%s) instead of the file; the session may "
                    "have expired or the attachment may not be downloadable." % (url, response.geturl()))
            chunks = []
            sink = target.file.write if target is not None else chunks.append
            expected = _content_length(response)
            with reporting_progress(progress_callback, expected) as progress:
                _copy_body(response, url, sink, progress, expected, reuse_buffer=target is not None)
        return None if target is not None else b"".join(chunks)

    def get_attachment_download_url(self, attachment: Union[Dict[str, Any], int, None]) -> Optional[str]:
        """The URL an attachment downloads from.

        An int is an Attachment id on this site; a dict's ``url`` is used
        as-is; a ``{"type": "Attachment", "id": N}`` dict without ``url``
        gives the id's URL; ``None`` gives ``None``.
        """
        if attachment is None:
            return None
        if isinstance(attachment, dict):
            if "url" in attachment:
                return attachment["url"]
            if "id" in attachment and attachment.get("type") == "Attachment":
                return self._attachment_serve_url(attachment["id"])
            raise ValueError("Missing 'url' key in Attachment dict")
        if isinstance(attachment, int):
            if not attachment:
                raise ValueError("Attachment id must be a positive int, got %r" % (attachment,))
            return self._attachment_serve_url(attachment)
        raise TypeError("Unable to determine download url. Expected dict, int, or NoneType. Instead got %s"
                        % type(attachment))

    def _attachment_serve_url(self, attachment_id: Any) -> str:
        return urllib.parse.urlunparse((self.config.scheme, self.config.server,
                                        "/file_serve/attachment/%s" % urllib.parse.quote(str(attachment_id)),
                                        None, None, None))

    def get_auth_cookie_handler(self) -> urllib.request.HTTPCookieProcessor:
        """A urllib cookie handler sending this session's ``_session_id`` cookie to the site.

        The cookie's domain is the site's host name. The reference used
        ``config.server`` with its port, which the standard cookie jar never
        matches, so no cookie reached a site with an explicit port.
        """
        session_id = self.get_session_token()
        host = urllib.parse.urlsplit("//" + self.config.server).hostname or self.config.server
        jar = http.cookiejar.LWPCookieJar()
        jar.set_cookie(http.cookiejar.Cookie(
            version=0, name="_session_id", value=session_id, port=None, port_specified=False,
            domain=host, domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
            secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={}))
        return urllib.request.HTTPCookieProcessor(jar)

