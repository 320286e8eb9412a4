;;; dag-replication-check-failed: each failed Test-ReplicationHealth check, explained.

(defrule dag-replication-check-failed
  ?c <- (exchange-replication-check (server ?srv) (check ?chk) (passed FALSE) (error ?e))
  =>
  (assert (hakb-finding (id "dag-replication-check-failed") (key (str-cat ?srv "/" ?chk)) (evidence ?c)
            (vars server ?srv check ?chk error ?e))))
