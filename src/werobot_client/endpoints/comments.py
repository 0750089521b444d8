"""Comments on published articles: open, close, list, feature, delete and reply.

An article is named by the ``msg_data_id`` of its mass send or publication and its
``index`` in it (from 0). https://developers.weixin.qq.com/doc/offiaccount/Comments_management/Image_Comments_Management_Interface.html
"""

from __future__ import annotations

from werobot_client.call import ApiCall, endpoint, post_json
from werobot_client.models import CommentList
from werobot_client.responses import ApiResponse

__all__ = [
    "close_comment",
    "delete_comment",
    "delete_comment_reply",
    "get_comments",
    "mark_comment_elect",
    "open_comment",
    "reply_comment",
    "unmark_comment_elect",
]


def _article(msg_data_id: int | str, index: int) -> dict[str, int | str]:
    return {"msg_data_id": msg_data_id, "index": index}


@endpoint
def open_comment(msg_data_id: int | str, index: int = 0) -> ApiCall[ApiResponse]:
    """Open comments on an article."""
    return post_json("/cgi-bin/comment/open", _article(msg_data_id, index), ApiResponse)


@endpoint
def close_comment(msg_data_id: int | str, index: int = 0) -> ApiCall[ApiResponse]:
    """Close comments on an article."""
    return post_json("/cgi-bin/comment/close", _article(msg_data_id, index), ApiResponse)


@endpoint
def get_comments(
    msg_data_id: int | str, index: int = 0, begin: int = 0, count: int = 50, type: int = 0
) -> ApiCall[CommentList]:
    """A page of up to 50 comments; ``type`` 0 all, 1 ordinary, 2 featured."""
    body = {**_article(msg_data_id, index), "begin": begin, "count": count, "type": type}
    return post_json("/cgi-bin/comment/list", body, CommentList)


def _on_comment(
    path: str, msg_data_id: int | str, user_comment_id: int, index: int
) -> ApiCall[ApiResponse]:
    body = {**_article(msg_data_id, index), "user_comment_id": user_comment_id}
    return post_json(path, body, ApiResponse)


@endpoint
def mark_comment_elect(
    msg_data_id: int | str, user_comment_id: int, index: int = 0
) -> ApiCall[ApiResponse]:
    """Feature a comment."""
    return _on_comment("/cgi-bin/comment/markelect", msg_data_id, user_comment_id, index)


@endpoint
def unmark_comment_elect(
    msg_data_id: int | str, user_comment_id: int, index: int = 0
) -> ApiCall[ApiResponse]:
    """Stop featuring a comment."""
    return _on_comment("/cgi-bin/comment/unmarkelect", msg_data_id, user_comment_id, index)


@endpoint
def delete_comment(
    msg_data_id: int | str, user_comment_id: int, index: int = 0
) -> ApiCall[ApiResponse]:
    """Delete a comment."""
    return _on_comment("/cgi-bin/comment/delete", msg_data_id, user_comment_id, index)


@endpoint
def reply_comment(
    msg_data_id: int | str, user_comment_id: int, content: str, index: int = 0
) -> ApiCall[ApiResponse]:
    """Reply to a comment."""
    body = {
        **_article(msg_data_id, index),
        "user_comment_id": user_comment_id,
        "content": content,
    }
    return post_json("/cgi-bin/comment/reply/add", body, ApiResponse)


@endpoint
def delete_comment_reply(
    msg_data_id: int | str, user_comment_id: int, index: int = 0
) -> ApiCall[ApiResponse]:
    """Delete the account's reply to a comment."""
    return _on_comment("/cgi-bin/comment/reply/delete", msg_data_id, user_comment_id, index)
