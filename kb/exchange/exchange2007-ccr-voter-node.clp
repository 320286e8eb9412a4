;;; exchange2007-ccr-voter-node: a CCR cluster with a third (voter) node: supported, not preferred.

(deffunction ccrv-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction ccrv-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (ccrv-host ?name))
  (foreach ?x ?names (if (eq (ccrv-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction ccrv-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule exchange2007-ccr-voter-node
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  ?c <- (cluster-node (node ?v&:(not (ccrv-in ?v $?nodes))) (host ?h&:(or (eq ?h "") (ccrv-in ?h $?nodes))))
  (exists (cluster-node (node ?n1&:(ccrv-in ?n1 $?nodes))))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-voter-node") (key ?cms) (evidence ?m ?c)
            (vars cms ?cms nodes (ccrv-join $?nodes) voter ?v))))
