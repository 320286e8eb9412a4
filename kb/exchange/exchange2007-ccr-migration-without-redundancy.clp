;;; exchange2007-ccr-migration-without-redundancy: a CCR reduced to one node while Exchange 2010 is
;;; being introduced: the migration removed the redundancy first (one node torn down to rebuild it).

(deffunction ccrm-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction ccrm-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (ccrm-host ?name))
  (foreach ?x ?names (if (eq (ccrm-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction ccrm-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule exchange2007-ccr-migration-one-node
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 1) (redundant_machines ?node))
  ?x <- (exchange-server (name ?new) (major ?v&:(integerp ?v)&:(>= ?v 14)))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-migration-without-redundancy") (key ?cms) (evidence ?m ?x)
            (vars cms ?cms remaining ?node new_server ?new new_version (fact-slot-value ?x version)))))

(defrule exchange2007-ccr-migration-node-down
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  ?d <- (cluster-node (node ?down&:(ccrm-in ?down $?nodes)) (state ?st&:(neq (lowcase ?st) "up")))
  ?u <- (cluster-node (node ?up&:(ccrm-in ?up $?nodes)&:(neq (ccrm-host ?up) (ccrm-host ?down))) (state ?s2&:(eq (lowcase ?s2) "up")))
  ?x <- (exchange-server (name ?new) (major ?v&:(integerp ?v)&:(>= ?v 14)))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-migration-without-redundancy") (key ?cms) (evidence ?m ?d ?u ?x)
            (vars cms ?cms remaining ?up removed ?down removed_state ?st new_server ?new
                  new_version (fact-slot-value ?x version)))))

(defrule exchange2007-ccr-migration-dag
  "A DAG in the same bundle shows Exchange 2010 is being introduced."
  ?f <- (hakb-finding (id "exchange2007-ccr-migration-without-redundancy") (key ?cms))
  ?g <- (exchange-dag (name ?dag))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-migration-without-redundancy") (key ?cms) (evidence ?g) (vars dag ?dag))))

(defrule exchange2007-ccr-migration-story
  "The single-node finding and the migration finding are one story."
  (hakb-finding (id "exchange2007-single-node-cluster") (key ?cms))
  (hakb-finding (id "exchange2007-ccr-migration-without-redundancy") (key ?cms))
  =>
  (assert (hakb-relate (id "exchange2007-single-node-cluster") (key ?cms) (other-id "exchange2007-ccr-migration-without-redundancy") (other-key ?cms))))
