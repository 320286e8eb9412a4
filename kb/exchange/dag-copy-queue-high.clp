;;; dag-copy-queue-high: a healthy-looking copy is far behind (copy queue >= 10 logs or replay queue >= 100 logs).

(defrule dag-copy-queue-high-copy
  ?c <- (exchange-db-copy (database ?db) (server ?srv) (status ?st&:(not (member$ (lowcase ?st) (create$ "mounted" "failed" "failedandsuspended" "suspended" "seeding"))))
                          (copy_queue ?cq&:(integerp ?cq)&:(>= ?cq 10)))
  =>
  (assert (hakb-finding (id "dag-copy-queue-high") (key (str-cat ?db "\\" ?srv)) (evidence ?c)
            (vars database ?db server ?srv status ?st copy_queue ?cq))))

(defrule dag-copy-queue-high-replay
  ?c <- (exchange-db-copy (database ?db) (server ?srv) (status ?st&:(not (member$ (lowcase ?st) (create$ "mounted" "failed" "failedandsuspended" "suspended" "seeding"))))
                          (replay_queue ?rq&:(integerp ?rq)&:(>= ?rq 100)))
  =>
  (assert (hakb-finding (id "dag-copy-queue-high") (key (str-cat ?db "\\" ?srv)) (evidence ?c)
            (vars database ?db server ?srv status ?st replay_queue ?rq))))
