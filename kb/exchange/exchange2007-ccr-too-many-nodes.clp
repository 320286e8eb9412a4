;;; exchange2007-ccr-too-many-nodes: CCR (ClusteredStorageType NonShared) supports two Mailbox nodes.

(deffunction ccrn-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction ccrn-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (ccrn-host ?name))
  (foreach ?x ?names (if (eq (ccrn-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction ccrn-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule exchange2007-ccr-too-many-nodes
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count ?n&:(integerp ?n)&:(> ?n 2))
                                 (redundant_machines $?nodes))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-too-many-nodes") (key ?cms) (evidence ?m)
            (vars cms ?cms count ?n nodes (ccrn-join $?nodes)))))
