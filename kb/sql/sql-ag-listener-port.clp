;;; sql-ag-listener-port: behind an Azure load balancer rule that forwards 1433, the listener must listen on 1433.

(defrule sql-ag-listener-port
  ?l <- (sql-ag-listener (name ?n) (port ?p&:(integerp ?p)&:(neq ?p 1433)))
  ?e <- (azure-lb-endpoint (local_port ?lp&:(or (eq ?lp nil) (eq ?lp 1433))))
  =>
  (assert (hakb-finding (id "sql-ag-listener-port") (key ?n) (evidence ?l ?e) (vars listener ?n port ?p))))

(defrule sql-ag-listener-port-story
  "The listener port and the load balancer settings are one story."
  (hakb-finding (id "sql-ag-listener-port") (key ?n))
  (hakb-finding (id "sql-ag-listener-ilb") (key ?o))
  =>
  (assert (hakb-relate (id "sql-ag-listener-port") (key ?n) (other-id "sql-ag-listener-ilb") (other-key ?o))))
