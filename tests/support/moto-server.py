"""moto_server with S3's conditional writes atomic, as S3 makes them.

moto checks a PUT's If-None-Match / If-Match against the stored object and then writes it, and its
server answers requests on several threads: two writers racing for the same key could both pass the
check, which S3 never lets happen (one gets 412 Precondition Failed). One lock around S3 object
writes closes that window; everything else runs as moto_server runs it. Started by
tests/support/aws-endpoint.ts, with moto_server's own arguments.
"""
import sys
import threading

from moto.s3.responses import S3Response
from moto.server import main

_writes = threading.Lock()
_put_object = S3Response.put_object


def put_object(self, *args, **kwargs):
    with _writes:
        return _put_object(self, *args, **kwargs)


S3Response.put_object = put_object

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
