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

(defrule exchange2007-scc-node-limit-exchange
  ?m <- (exchange-mailbox-server (kind "SCC") (name ?cms) (node_count ?n&:(integerp ?n)&:(> ?n 8))
                                 (redundant_machines $?nodes))
  =>
  (assert (hakb-finding (id "exchange2007-scc-node-limit") (key ?cms) (evidence ?m)
            (vars cms ?cms count ?n limit 8 what "nodes with Exchange (RedundantMachines)" nodes (sccl-join $?nodes)))))

(defrule exchange2007-scc-node-limit-cluster
  "More than 16 cluster nodes (counted when the rule fires: every fact is in by then)."
  ?m <- (exchange-mailbox-server (kind "SCC") (name ?cms) (redundant_machines $?nodes))
  ?c <- (cluster-node (line ?l0))
  (not (cluster-node (line ?l&:(< ?l ?l0))))
  =>
  (bind ?count (length$ (find-all-facts ((?x cluster-node)) TRUE)))
  (if (> ?count 16) then
    (assert (hakb-finding (id "exchange2007-scc-node-limit") (key ?cms) (evidence ?m ?c)
              (vars cms ?cms count ?count limit 16 what "failover cluster nodes" nodes (sccl-join $?nodes))))))
