;;; dag-member-limit: a DAG has at most 16 members.

(defrule dag-member-limit
  ?d <- (exchange-dag (name ?dag) (member_count ?n&:(integerp ?n)&:(> ?n 16)))
  =>
  (assert (hakb-finding (id "dag-member-limit") (key ?dag) (evidence ?d) (vars dag ?dag count ?n))))
