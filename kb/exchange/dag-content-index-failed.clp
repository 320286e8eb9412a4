;;; dag-content-index-failed: the search index of a database copy is Failed.

(defrule dag-content-index-failed
  ?c <- (exchange-db-copy (database ?db) (server ?srv) (content_index ?ci&:(member$ (lowcase ?ci) (create$ "failed" "failedandsuspended"))))
  =>
  (assert (hakb-finding (id "dag-content-index-failed") (key (str-cat ?db "\\" ?srv)) (evidence ?c)
            (vars database ?db server ?srv state ?ci))))
