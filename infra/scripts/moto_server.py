#!/usr/bin/env python3
"""The moto server the tests run against, with one fix to how moto backs up a table.

    moto_server.py PORT [serial]

moto 5.2.5's DynamoDB `TransactWriteItems` takes its rollback backup inside the loop over
the transaction's items: it deep-copies the item's table once per item, though every copy
is taken before any item is applied and so all copies of one table are identical. A
30-item transaction on a table of 10,000 items copies 300,000 items, and the analytics
worker's thousand-event test ran for ten minutes. Here a table is copied once per
transaction, and that single backup is what a failed transaction restores: the same
rollback, the same semantics, a thirtieth of the copying. Nothing else is changed.

`serial` turns off the request threads (a test that races transactions needs that: moto's
transactions are not safe under concurrent requests). Started by infra/scripts/lib.sh
(the shared server) and by `instainstru_testkit::PrivateMoto` (a test's own).
"""

import copy
import sys
import threading

from moto.dynamodb import models
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

_transaction = threading.local()


class _BackupOncePerTable:
    """The `copy` module as moto.dynamodb.models sees it. Inside one transact_write_items
    call, deep-copying a Table again returns the backup already taken in that call."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(obj, memo=None):
        backups = getattr(_transaction, "backups", None)
        if backups is None or not isinstance(obj, Table):
            return copy.deepcopy(obj, memo)
        if id(obj) not in backups:
            backups[id(obj)] = copy.deepcopy(obj, memo)
        return backups[id(obj)]


_transact_write_items = models.DynamoDBBackend.transact_write_items


def transact_write_items(self, transact_items):
    _transaction.backups = {}
    try:
        return _transact_write_items(self, transact_items)
    finally:
        _transaction.backups = None


models.DynamoDBBackend.transact_write_items = transact_write_items
models.copy = _BackupOncePerTable()

if __name__ == "__main__":
    port = int(sys.argv[1])
    threaded = not (len(sys.argv) > 2 and sys.argv[2] == "serial")
    run_simple(
        "127.0.0.1",
        port,
        DomainDispatcherApplication(create_backend_app),
        threaded=threaded,
        request_handler=MotoRequestHandler,
    )
