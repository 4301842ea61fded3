"""Query errors beyond ``kronika.errors.QueryError``."""

from __future__ import annotations

from kronika.errors import QueryError


class NotFoundError(QueryError):
    """The asked-for article or cluster is not in the store (the API answers 404)."""

    code = "K510"
