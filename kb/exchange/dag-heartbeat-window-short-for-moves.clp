;;; dag-heartbeat-window-short-for-moves: a DAG member VM removed from the cluster while the heartbeat
;;; window is at most 5 s: its moves pause it longer than the window. Tied to the eviction (one story).

(deffunction dghs-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dghs-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dghs-host ?name))
  (foreach ?x ?names (if (eq (dghs-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dghs-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deffunction dghs-key (?cluster)
  (str-cat (if (neq ?cluster "") then ?cluster else "cluster") " same-subnet"))

;;; Joins go through one fact per evicted node, VM resource, DAG and heartbeat window (built
;;; first), so the same evidence seen k times (k bundles of one incident) costs O(k) firings: the
;;; conclusion is asserted once per cluster and each line that shows it adds itself as evidence.
(deftemplate dghs-evicted "A node the cluster removed (cluster-node-evicted)." (slot node))
(deftemplate dghs-vm "A VM cluster resource (host: the VM's short name)." (slot host) (slot resource))
(deftemplate dghs-dag "A DAG and its members." (slot name) (multislot servers))
(deftemplate dghs-window "A cluster's same-subnet heartbeat settings, from one listing."
  (slot cluster) (slot delay) (slot threshold))
(deftemplate dghs-found "The finding of this cluster: node, DAG." (slot cluster) (slot node) (slot dag))

(defrule dag-heartbeat-window-short-for-moves-evicted
  (declare (salience 10))
  (hakb-finding (id "cluster-node-evicted") (key ?node))
  =>
  (assert (dghs-evicted (node ?node))))

(defrule dag-heartbeat-window-short-for-moves-vm
  (declare (salience 10))
  (cluster-parameter (vm ?vm&~"") (object ?res) (artifact ?pa) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghs-host ?vm2) (dghs-host ?vm))) (artifact ?pa) (line ?l2&:(< ?l2 ?l))))
  =>
  (assert (dghs-vm (host (dghs-host ?vm)) (resource ?res))))

(defrule dag-heartbeat-window-short-for-moves-dag
  (declare (salience 10))
  (exchange-dag (name ?dag) (servers $?s))
  =>
  (assert (dghs-dag (name ?dag) (servers $?s))))

(defrule dag-heartbeat-window-short-for-moves-window
  (declare (salience 10))
  (cluster-setting (name "SameSubnetDelay") (value ?d&:(integerp ?d)) (cluster ?c) (artifact ?art))
  (cluster-setting (name "SameSubnetThreshold") (value ?t&:(integerp ?t)) (cluster ?c) (artifact ?art))
  =>
  (assert (dghs-window (cluster ?c) (delay ?d) (threshold ?t))))

(defrule dag-heartbeat-window-short-for-moves
  "The default 5 s window and a DAG member virtual machine removed from the cluster."
  (dghs-evicted (node ?node))
  (dghs-vm (host ?h&:(eq ?h (dghs-host ?node))) (resource ?res))
  (dghs-dag (name ?dag) (servers $?s&:(dghs-in ?node $?s)))
  (dghs-window (cluster ?c) (delay ?d) (threshold ?t))
  (test (<= (* ?d ?t) 5000))
  =>
  (assert (dghs-found (cluster ?c) (node ?node) (dag ?dag)))
  (assert (hakb-finding (id "dag-heartbeat-window-short-for-moves") (key (dghs-key ?c))
            (vars cluster (if (neq ?c "") then ?c else ?dag) dag ?dag server (upcase (dghs-host ?node)) resource ?res
                  delay ?d threshold ?t window_ms (* ?d ?t) suggested (max 1 (div 10000 ?d)))))
  (assert (hakb-relate (id "cluster-node-evicted") (key ?node)
                       (other-id "dag-heartbeat-window-short-for-moves") (other-key (dghs-key ?c)))))

(defrule dag-heartbeat-window-short-for-moves-evidence
  "The VM resource's first line in each listing, the DAG's lines."
  (dghs-found (cluster ?c) (node ?node) (dag ?dag))
  (or (and ?e <- (cluster-parameter (vm ?vm&:(eq (dghs-host ?vm) (dghs-host ?node))) (artifact ?pa) (line ?l))
           (not (cluster-parameter (vm ?vm2&:(eq (dghs-host ?vm2) (dghs-host ?node))) (artifact ?pa) (line ?l2&:(< ?l2 ?l)))))
      ?e <- (exchange-dag (name ?dag)))
  =>
  (assert (hakb-finding (id "dag-heartbeat-window-short-for-moves") (key (dghs-key ?c)) (evidence ?e))))

(defrule dag-heartbeat-window-short-for-moves-window-evidence
  "The heartbeat settings of each listing that shows the short window."
  (dghs-found (cluster ?c))
  ?a <- (cluster-setting (name "SameSubnetDelay") (value ?d&:(integerp ?d)) (cluster ?c) (artifact ?art))
  ?b <- (cluster-setting (name "SameSubnetThreshold") (value ?t&:(integerp ?t)&:(<= (* ?d ?t) 5000)) (cluster ?c) (artifact ?art))
  =>
  (assert (hakb-finding (id "dag-heartbeat-window-short-for-moves") (key (dghs-key ?c)) (evidence ?a ?b))))
