# Held out (third set): templates written before the algorithm changes of data/discovery2, never used to tune it.
include ../java.tpl
pool queues orders-created orders-paid refunds
T 12 logger=c.a.o.messaging.OrderListener | Consumed message @{uuid} from queue @{word:queues} in @{int:1..500} ms
T 10 level=WARN logger=c.a.o.web.RateLimiter | Rate limit exceeded for client @{ip}: @{int:100..999} requests in 60 s
T 8 header=none | java.util.NoSuchElementException: No value present
T 6 header=none | Caused by: com.fasterxml.jackson.core.JsonParseException: Unexpected character ('@{pick:<|]|/}' (code @{int:60..125})): expected a value
T 5 level=INFO thread=main logger=c.a.o.Application | The following @{int:1..3} profiles are active: "@{pick:prod|staging|dev}"
T 4 level=ERROR logger=c.a.o.jobs.ReportJob | Report @{uuid} failed after @{int:1..5} attempts
T 3 thread=SpringApplicationShutdownHook logger=o.s.o.j.LocalContainerEntityManagerFactoryBean | Closing JPA EntityManagerFactory for persistence unit 'default'
