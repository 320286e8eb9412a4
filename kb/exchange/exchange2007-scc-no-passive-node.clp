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

(deffunction sccp-after (?a ?b)
  (> (str-compare (str-cat ?a) (str-cat ?b)) 0))

(deffunction sccp-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

;; One fact per clustered mailbox server (the same server seen in k bundles is one), so servers
;; are counted once each and the count runs once per CMS, not once per copy.
(deftemplate sccp-cms "An SCC clustered mailbox server: its nodes and the node count it reports."
  (slot name) (slot node_count) (multislot nodes))

(defrule exchange2007-scc-no-passive-node-cms
  (declare (salience 10))
  (exchange-mailbox-server (kind "SCC") (name ?cms) (node_count ?n) (redundant_machines $?nodes))
  =>
  (assert (sccp-cms (name ?cms) (node_count ?n) (nodes $?nodes))))

(defrule exchange2007-scc-no-passive-node
  (sccp-cms (name ?cms) (node_count ?n&:(integerp ?n)&:(> ?n 0)) (nodes ?first $?rest))
  =>
  (bind ?names (create$))
  (do-for-all-facts ((?x sccp-cms)) (sccp-in ?first ?x:nodes)
    (if (not (member$ ?x:name ?names)) then (bind ?names (create$ ?names ?x:name))))
  (bind ?names (sort sccp-after ?names))
  (bind ?count (length$ ?names))
  (if (>= ?count ?n) then
    (assert (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms)
              (vars cms ?cms servers (sccp-join ?names) count ?count nodes (sccp-join ?first ?rest) node_count ?n)))))

(defrule exchange2007-scc-no-passive-node-evidence
  "The clustered mailbox server's own lines."
  ?m <- (exchange-mailbox-server (kind "SCC") (name ?cms))
  (exists (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms)))
  =>
  (assert (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms) (evidence ?m))))

(defrule exchange2007-scc-no-passive-node-story
  "No passive node and a single node are one story."
  (sccp-cms (name ?cms))
  (exists (hakb-finding (id "exchange2007-scc-no-passive-node") (key ?cms)))
  (exists (hakb-finding (id "exchange2007-single-node-cluster") (key ?cms)))
  =>
  (assert (hakb-relate (id "exchange2007-scc-no-passive-node") (key ?cms) (other-id "exchange2007-single-node-cluster") (other-key ?cms))))
