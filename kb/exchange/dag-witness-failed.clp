;;; dag-witness-failed: the witness is in a failed state or its configuration is invalid.

(deffunction dgwf-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgwf-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgwf-host ?name))
  (foreach ?x ?names (if (eq (dgwf-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgwf-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule dag-witness-failed-warning
  ?d <- (exchange-dag (name ?dag) (witness_failed TRUE) (warning ?w) (witness_server ?ws)
                      (witness_directory ?wd) (witness_share_in_use ?u))
  =>
  (assert (hakb-finding (id "dag-witness-failed") (key ?dag) (evidence ?d)
            (vars dag ?dag witness ?ws directory ?wd in_use ?u warning ?w))))

(defrule dag-witness-failed-check
  "Test-ReplicationHealth FileShareQuorum failing on a member of the DAG."
  ?d <- (exchange-dag (name ?dag) (servers $?s) (witness_server ?ws) (witness_directory ?wd))
  ?c <- (exchange-replication-check (check "FileShareQuorum") (passed FALSE) (server ?srv&:(dgwf-in ?srv $?s)))
  =>
  (assert (hakb-finding (id "dag-witness-failed") (key ?dag) (evidence ?d ?c)
            (vars dag ?dag witness ?ws directory ?wd check_error (fact-slot-value ?c error)))))

(defrule dag-witness-failed-story
  "A witness on a member fails with that member: one story."
  (hakb-finding (id "dag-witness-failed") (key ?dag))
  (hakb-finding (id "dag-witness-on-member") (key ?dag))
  =>
  (assert (hakb-relate (id "dag-witness-failed") (key ?dag) (other-id "dag-witness-on-member") (other-key ?dag))))

(defrule dag-witness-failed-check-story
  "The failed FileShareQuorum check is the same witness problem."
  (hakb-finding (id "dag-witness-failed") (key ?dag))
  (hakb-finding (id "dag-replication-check-failed") (key ?k&:(str-index "/FileShareQuorum" ?k)))
  =>
  (assert (hakb-relate (id "dag-witness-failed") (key ?dag) (other-id "dag-replication-check-failed") (other-key ?k))))
