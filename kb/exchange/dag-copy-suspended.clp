;;; dag-copy-suspended: a database copy suspended by an administrator (or a task) is not kept current.

(defrule dag-copy-suspended
  ?c <- (exchange-db-copy (database ?db) (server ?srv) (status ?st&:(eq (lowcase ?st) "suspended"))
                          (copy_queue ?cq) (replay_queue ?rq))
  =>
  (assert (hakb-finding (id "dag-copy-suspended") (key (str-cat ?db "\\" ?srv)) (evidence ?c)
            (vars database ?db server ?srv copy_queue ?cq replay_queue ?rq))))

(defrule dag-copy-suspended-check
  "Test-ReplicationHealth DBCopySuspended names the same copy."
  (hakb-finding (id "dag-copy-suspended") (key ?k))
  ?t <- (exchange-replication-check (check "DBCopySuspended") (passed FALSE) (error ?e&:(str-index (lowcase ?k) (lowcase ?e))))
  =>
  (assert (hakb-finding (id "dag-copy-suspended") (key ?k) (evidence ?t))))
