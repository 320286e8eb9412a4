;;; exchange2007-scc-no-passive-node: an SCC needs at least one node more than it has clustered mailbox servers.

(deffunction sccp-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction sccp-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (sccp-host ?name))
  (foreach ?x ?names (if (eq (sccp-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction sccp-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule exchange2007-scc-no-passive-node
  ?m <- (exchange-mailbox-server (kind "SCC") (name ?cms) (node_count ?n&:(integerp ?n)&:(> ?n 0))
                                 (redundant_machines ?first $?rest))
  =>
  (bind ?servers (find-all-facts ((?x exchange-mailbox-server))
                   (and (eq ?x:kind "SCC") (sccp-in ?first ?x:redundant_machines))))
  (bind ?count (length$ ?servers))
  (if (>= ?count ?n) then
    (bind ?names (create$))
    (foreach ?s ?servers (bind ?names (create$ ?names (fact-slot-value ?s name))))
    (assert (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms) (evidence ?m)
              (vars cms ?cms servers (sccp-join ?names) count ?count nodes (sccp-join ?first ?rest) node_count ?n)))))

(defrule exchange2007-scc-no-passive-node-story
  "No passive node and a single node are one story."
  (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms))
  (hakb-finding (id "exchange2007-single-node-cluster") (key ?cms))
  =>
  (assert (hakb-relate (id "exchange2007-scc-no-passive-node") (key ?cms) (other-id "exchange2007-single-node-cluster") (other-key ?cms))))
