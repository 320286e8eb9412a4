;;; dag-member-runs-nlb: a DAG member is a failover cluster node, so NLB on it is the
;;; windows-nlb-on-failover-cluster fault (article in the windows pack; same id and key merge).

(deffunction dgnl-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgnl-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgnl-host ?name))
  (foreach ?x ?names (if (eq (dgnl-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgnl-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

;; One fact per DAG (the same DAG seen in k bundles is one): each NLB line joins one DAG fact, so
;; k copies cost O(k); the DAG's lines add themselves as evidence once the server has the finding.
(deftemplate dgnl-dag "A DAG and its members." (slot name) (multislot servers))
(deftemplate dgnl-found "A DAG member (short name) with NLB." (slot host) (slot dag))

(defrule dag-member-runs-nlb-dag
  (declare (salience 10))
  (exchange-dag (name ?dag) (servers $?s))
  =>
  (assert (dgnl-dag (name ?dag) (servers $?s))))

(defrule dag-member-runs-nlb-control
  (dgnl-dag (name ?dag) (servers $?s))
  ?n <- (nlb-node (host ?h) (node ?node) (cluster_ip ?ip) (source ?src))
  (test (or (and (neq ?h "") (dgnl-in ?h $?s)) (and (neq ?node "") (dgnl-in ?node $?s))))
  =>
  (bind ?server (if (neq ?h "") then ?h else ?node))
  (assert (dgnl-found (host (dgnl-host ?server)) (dag ?dag)))
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key (dgnl-host ?server)) (evidence ?n)
            (vars server (upcase (dgnl-host ?server)) dag ?dag cluster_ip ?ip
                  nlb (str-cat ?src " shows NLB cluster " ?ip)
                  cluster (str-cat "it is a member of DAG " ?dag ", which is a failover cluster")))))

(defrule dag-member-runs-nlb-event
  (dgnl-dag (name ?dag) (servers $?s))
  ?n <- (windows-event (kind "nlb"|"nlb-cluster-conflict") (host ?h&~""&:(dgnl-in ?h $?s)) (event_id ?id) (source ?src))
  =>
  (assert (dgnl-found (host (dgnl-host ?h)) (dag ?dag)))
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key (dgnl-host ?h)) (evidence ?n)
            (vars server (upcase (dgnl-host ?h)) dag ?dag nlb (str-cat ?src " event " ?id)
                  cluster (str-cat "it is a member of DAG " ?dag ", which is a failover cluster")))))

(defrule dag-member-runs-nlb-feature
  (dgnl-dag (name ?dag) (servers $?s))
  ?n <- (windows-feature (name ?f&:(eq (lowcase ?f) "nlb")) (installed TRUE) (host ?h&~""&:(dgnl-in ?h $?s)))
  =>
  (assert (dgnl-found (host (dgnl-host ?h)) (dag ?dag)))
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key (dgnl-host ?h)) (evidence ?n)
            (vars server (upcase (dgnl-host ?h)) dag ?dag nlb "the NLB feature is installed"
                  cluster (str-cat "it is a member of DAG " ?dag ", which is a failover cluster")))))

(defrule dag-member-runs-nlb-dag-evidence
  "The DAG's lines."
  (dgnl-found (host ?h) (dag ?dag))
  ?d <- (exchange-dag (name ?dag))
  =>
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key ?h) (evidence ?d))))
