"""Media in an S3-compatible object store: images public, documents private.

Wagtail keeps every upload in one storage: original images under
``original_images/``, renditions under ``images/``, documents under
``documents/``. Images appear on public pages, so they are stored with the
``public-read`` ACL and linked by plain URLs (cacheable by the page cache and
any CDN). Documents may sit in a private collection, and an object store has
no idea of Wagtail's collections: they are stored private (no ACL, so the
bucket's default) and any URL the storage hands out for them is signed and
expires. The site itself never links a document's object URL: documents are
served through Wagtail's permission-checked ``/documents/`` view
(``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which reads the object with the
server's credentials.

The bucket must not be public as a whole (no public bucket policy); see
docs/deployment.md.
"""

from storages.backends.s3 import S3Storage

# Wagtail's folders for image originals and renditions.
PUBLIC_PREFIXES = ("original_images/", "images/")


def is_public(name: str) -> bool:
    return name.lstrip("/").startswith(PUBLIC_PREFIXES)


class MediaStorage(S3Storage):
    """django-storages' S3 storage that makes image objects, and only them, public."""

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        params.pop("ACL", None)
        if is_public(name):
            params["ACL"] = "public-read"
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public(name) and not self.custom_domain:
            # Unsigned: the object is public and a signature would change the
            # URL on every render, defeating every cache in front.
            params = dict(parameters or {})
            params["Bucket"] = self.bucket.name
            params["Key"] = self._normalize_name(name)
            return self.unsigned_connection.meta.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=60, HttpMethod=http_method
            )
        return super().url(name, parameters, expire, http_method)
