;;; exchange2007-single-node-cluster: a CCR or SCC clustered mailbox server with one node has no redundancy.

(defrule exchange2007-single-node-cluster
  ?m <- (exchange-mailbox-server (kind ?k&"CCR"|"SCC") (name ?cms) (node_count 1) (redundant_machines ?node))
  =>
  (assert (hakb-finding (id "exchange2007-single-node-cluster") (key ?cms) (evidence ?m)
            (vars cms ?cms type ?k node ?node))))
