;;; dag-witness-on-member: the file share witness of a DAG must not be one of its members.

(deffunction dgwm-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgwm-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgwm-host ?name))
  (foreach ?x ?names (if (eq (dgwm-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgwm-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule dag-witness-on-member
  ?d <- (exchange-dag (name ?dag) (servers $?servers) (witness_server ?w&~""&:(dgwm-in ?w $?servers)))
  =>
  (assert (hakb-finding (id "dag-witness-on-member") (key ?dag) (evidence ?d)
            (vars dag ?dag witness ?w members (dgwm-join $?servers)
                  directory (fact-slot-value ?d witness_directory)))))

(defrule dag-witness-on-member-alternate
  ?d <- (exchange-dag (name ?dag) (servers $?servers) (alternate_witness_server ?w&~""&:(dgwm-in ?w $?servers)))
  =>
  (assert (hakb-finding (id "dag-witness-on-member") (key ?dag) (evidence ?d)
            (vars dag ?dag alternate ?w members (dgwm-join $?servers)))))
