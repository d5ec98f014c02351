# Held out (second set): templates written after the algorithm was frozen, never used to tune it.
include ../java.tpl
T 10 level=INFO thread=scheduling-1 logger=c.a.o.jobs.ReportJob | Generated report @{uuid} with @{int:0..9999} rows in @{int:10..9000} ms
T 8 header=none | java.util.concurrent.TimeoutException: Timed out after @{int:1000..30000} ms
T 6 header=none | Caused by: java.io.IOException: Broken pipe
T 5 level=WARN logger=o.h.engine.jdbc.spi.SqlExceptionHelper | SQL Error: 0, SQLState: 08003
T 4 level=ERROR logger=o.h.engine.jdbc.spi.SqlExceptionHelper | This connection has been closed.
T 3 level=INFO thread=main logger=o.s.b.w.e.tomcat.TomcatWebServer | Tomcat initialized with port(s): 8080 (http)
T 2 level=DEBUG logger=c.a.o.repo.OrderRepository | Executing query SELECT * FROM orders WHERE customer_id = @{int:1000..99999} LIMIT @{int:10..100}
T 1 header=none | 	at java.base/java.lang.Thread.run(Thread.java:@{int:800..900})
