# Held out (third set): a new style, written before the algorithm changes of data/discovery2, never used to tune it.
system pytrace
header @{time:%Y-%m-%d %H:%M:%S},@{int:0..999:pad3} @{$level} @{$logger}:
default level=ERROR logger=app.worker
pool modules app/worker.py app/models.py app/api/views.py app/tasks/export.py
pool funcs run handle process_batch export_csv get_object
pool libs /usr/lib/python3/dist-packages/requests/sessions.py /usr/lib/python3/dist-packages/urllib3/connectionpool.py /usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py
T 40 | Task @{uuid} failed
T 35 header=none | Traceback (most recent call last):
T 60 header=none |   File "/srv/@{word:modules}", line @{int:1..900}, in @{word:funcs}
T 30 header=none |   File "@{word:libs}", line @{int:1..2500}, in @{pick:request|send|urlopen|_execute_context}
T 12 header=none | KeyError: '@{pick:user_id|order|payload|token}'
T 10 header=none | ConnectionError: HTTPConnectionPool(host='@{host}', port=@{port}): Max retries exceeded with url: @{path} (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x@{hex:12}>: Failed to establish a new connection: [Errno 111] Connection refused'))
T 8 header=none | ValueError: invalid literal for int() with base 10: '@{alnum:6}'
T 6 header=none | sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly
T 5 header=none | During handling of the above exception, another exception occurred:
T 30 level=INFO | Processed batch @{int:1..99999} (@{int:1..5000} items) in @{float:0..60:3}s
T 20 level=WARNING logger=app.api | Slow request @{pick:GET|POST} @{path} took @{int:1000..9000}ms
T 6 level=INFO logger=app.main | Worker @{int:1..16} started with pid @{int:1000..60000}
T 3 level=CRITICAL logger=app.main | Out of memory, shutting down
