;;; dag-even-members-witness: a DAG with an even number of members keeps quorum only through its witness.

(deffunction dgev-host (?name)
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgev-outside (?witness $?servers)
  "The witness when it is outside the DAG (usable in a fix step), else empty."
  (foreach ?x ?servers (if (eq (dgev-host ?x) (dgev-host ?witness)) then (return "")))
  ?witness)

(defrule dag-even-members-no-witness
  ?d <- (exchange-dag (name ?dag) (member_count ?n&:(integerp ?n)&:(> ?n 0)&:(= (mod ?n 2) 0)) (witness_server ""))
  =>
  (assert (hakb-finding (id "dag-even-members-witness") (key ?dag) (evidence ?d)
            (vars dag ?dag count ?n problem "no witness server is configured"))))

(defrule dag-even-members-witness-not-in-use
  ?d <- (exchange-dag (name ?dag) (member_count ?n&:(integerp ?n)&:(> ?n 0)&:(= (mod ?n 2) 0))
                      (witness_server ?w&~"") (witness_share_in_use ?u&"None"|"InvalidConfiguration"))
  =>
  (assert (hakb-finding (id "dag-even-members-witness") (key ?dag) (evidence ?d)
            (vars dag ?dag count ?n witness ?w outside (dgev-outside ?w (fact-slot-value ?d servers))
                  problem (str-cat "WitnessShareInUse is " ?u)))))

(defrule dag-even-members-witness-failed
  ?d <- (exchange-dag (name ?dag) (member_count ?n&:(integerp ?n)&:(> ?n 0)&:(= (mod ?n 2) 0))
                      (witness_server ?w&~"") (witness_failed TRUE))
  =>
  (assert (hakb-finding (id "dag-even-members-witness") (key ?dag) (evidence ?d)
            (vars dag ?dag count ?n witness ?w outside (dgev-outside ?w (fact-slot-value ?d servers))
                  problem "the witness is in a failed state"))))

(defrule dag-even-members-witness-story
  "An even DAG leans on its witness: a failed witness is the same story."
  (hakb-finding (id "dag-even-members-witness") (key ?dag))
  (hakb-finding (id "dag-witness-failed") (key ?dag))
  =>
  (assert (hakb-relate (id "dag-even-members-witness") (key ?dag) (other-id "dag-witness-failed") (other-key ?dag))))
