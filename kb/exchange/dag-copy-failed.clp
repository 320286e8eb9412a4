;;; dag-copy-failed: a passive database copy is Failed or FailedAndSuspended.

(defrule dag-copy-failed
  ?c <- (exchange-db-copy (database ?db) (server ?srv) (status ?st&:(member$ (lowcase ?st) (create$ "failed" "failedandsuspended")))
                          (copy_queue ?cq) (replay_queue ?rq))
  =>
  (assert (hakb-finding (id "dag-copy-failed") (key (str-cat ?db "\\" ?srv)) (evidence ?c)
            (vars database ?db server ?srv status ?st copy_queue ?cq replay_queue ?rq))))
