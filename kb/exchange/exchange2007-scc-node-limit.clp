;;; exchange2007-scc-node-limit: Exchange 2007 SCC runs on at most 8 nodes (the cluster may have 16).

(deffunction sccl-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction sccl-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (sccl-host ?name))
  (foreach ?x ?names (if (eq (sccl-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction sccl-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deftemplate sccl-counted "The cluster's nodes were counted for this CMS." (slot cms) (multislot nodes))
(deftemplate sccl-over "The cluster of this CMS has more than 16 nodes." (slot cms))

(defrule exchange2007-scc-node-limit-exchange
  ?m <- (exchange-mailbox-server (kind "SCC") (name ?cms) (node_count ?n&:(integerp ?n)&:(> ?n 8))
                                 (redundant_machines $?nodes))
  =>
  (assert (hakb-finding (id "exchange2007-scc-node-limit") (key ?cms) (evidence ?m)
            (vars cms ?cms count ?n limit 8 what "nodes with Exchange (RedundantMachines)" nodes (sccl-join $?nodes)))))

(defrule exchange2007-scc-node-limit-cluster
  "More than 16 cluster nodes, each node counted once by name (counted when the rule fires: every
   fact is in by then). Once per CMS and nodes, however many times the same server was seen."
  (exchange-mailbox-server (kind "SCC") (name ?cms) (redundant_machines $?nodes))
  (not (sccl-counted (cms ?cms) (nodes $?nodes)))
  (exists (cluster-node))
  =>
  (assert (sccl-counted (cms ?cms) (nodes $?nodes)))
  (bind ?names (create$))
  (do-for-all-facts ((?x cluster-node)) (not (member$ (lowcase ?x:node) ?names))
    (bind ?names (create$ ?names (lowcase ?x:node))))
  (bind ?count (length$ ?names))
  (if (> ?count 16) then
    (assert (sccl-over (cms ?cms)))
    (assert (hakb-finding (id "exchange2007-scc-node-limit") (key ?cms)
              (vars cms ?cms count ?count limit 16 what "failover cluster nodes" nodes (sccl-join $?nodes))))))

(defrule exchange2007-scc-node-limit-cluster-evidence
  "The server's lines and the first line of the cluster node listing."
  (sccl-over (cms ?cms))
  (or ?e <- (exchange-mailbox-server (kind "SCC") (name ?cms))
      (and ?e <- (cluster-node (line ?l0))
           (not (cluster-node (line ?l&:(< ?l ?l0))))))
  =>
  (assert (hakb-finding (id "exchange2007-scc-node-limit") (key ?cms) (evidence ?e))))
