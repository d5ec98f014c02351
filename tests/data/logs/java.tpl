# A Spring service's logback log; a stack trace's lines (exception, "at", "Caused by", "... n more") have no header.
system java
header @{time:%Y-%m-%d %H:%M:%S}.@{int:0..999:pad3} @{$level} [@{$thread}] @{$logger} -
default level=INFO thread=http-nio-8080-exec-@{int:1..20} logger=c.a.o.web.OrderController
pool users alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent victor walter
pool providers stripe adyen paypal braintree

T 40 | Received order @{int:100000..999999} for customer @{int:1000..99999} with @{int:1..20} items
T 30 | Order @{int:100000..999999} processed in @{int:5..900} ms
T 25 level=DEBUG logger=c.a.o.repo.OrderRepository | Executing query SELECT * FROM orders WHERE id = @{int:100000..999999}
T 20 level=WARN logger=c.a.b.PaymentGateway | Payment provider @{word:providers} responded with status @{int:400..503} after @{int:100..5000} ms, retrying (@{int:1..3}/3)
T 15 level=ERROR | Failed to process order @{int:100000..999999}
T 30 header=none | java.lang.IllegalStateException: Order @{int:100000..999999} is already shipped
T 60 header=none | 	at @{frame}
T 20 header=none | 	... @{int:5..80} more
T 15 header=none | Caused by: java.net.SocketTimeoutException: Read timed out
T 10 header=none | Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after @{int:30000..30005}ms.
T 10 header=none | org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection
T 10 header=none | java.lang.NullPointerException: null
T 8 thread=main logger=o.s.b.w.e.tomcat.TomcatWebServer | Tomcat started on port(s): 8080 (http) with context path ''
T 6 thread=main logger=c.a.o.Application | Started Application in @{float:3..20:3} seconds (JVM running for @{float:4..25:3})
T 10 thread=scheduling-1 logger=c.a.o.jobs.CleanupJob | Deleted @{int:0..500} expired sessions
T 10 level=WARN thread=HikariPool-1~housekeeper logger=com.zaxxer.hikari.pool.HikariPool | HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=@{int:1..9}m@{int:1..59}s@{int:1..999}ms@{int:1..999}µs@{int:1..999}ns).
T 8 thread=kafka-producer-network-thread~|~producer-1 logger=o.a.k.c.Metadata | [Producer clientId=producer-1] Cluster ID: @{alnum:22}
T 8 level=WARN thread=kafka-coordinator-heartbeat-thread~|~orders logger=o.a.k.c.c.i.AbstractCoordinator | [Consumer clientId=consumer-orders-1, groupId=orders] Member consumer-orders-1-@{uuid} sending LeaveGroup request to coordinator @{host}:9092 (id: @{int:2147483600..2147483647} rack: null) due to consumer poll timeout has expired.
T 5 logger=c.a.o.web.AuthController | User @{word:users} logged in from @{ip}
T 5 logger=c.a.o.web.AuthController | User @{word:users} logged out after @{int:1..600} minutes
T 4 level=ERROR logger=c.a.o.web.GlobalExceptionHandler | Unhandled exception on GET @{path}
T 3 level=INFO thread=main logger=o.h.e.t.j.p.i.JtaPlatformInitiator | HHH000490: Using JtaPlatform implementation: [org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform]
T 3 level=WARN thread=main logger=o.s.b.a.o.j.JpaBaseConfiguration$JpaWebConfiguration | spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during view rendering.
T 2 header=none | Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint "orders_pkey"
T 2 header=none | 	Suppressed: java.io.IOException: Stream closed
