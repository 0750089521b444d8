"""Framework bindings: mount a robot inside an existing web application.

One module per framework, each importing only its own framework, so importing this package
imports none of them:

- ``werobot_adapters.django.make_view(robot)``: a CSRF-exempt Django view;
- ``werobot_adapters.flask.make_view(robot)``: a Flask view function;
- ``werobot_adapters.bottle.make_view(robot)``: a Bottle route callback;
- ``werobot_adapters.tornado.make_handler(robot)``: a Tornado ``RequestHandler`` class;
- ``werobot_adapters.asgi.make_asgi_app(robot)``: a plain ASGI app (Starlette, FastAPI);
- ``werobot_adapters.wsgi.make_app(robot)``: ``robot.wsgi``, for any WSGI server.

Each binding only translates the framework's request into a ``WeChatRequest`` and the
``WeChatResponse`` back; every protocol decision is made by ``robot.handle``.
"""

__all__: list[str] = []
