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

(defrule dag-heartbeat-window-short-for-moves
  "The default 5 s window and a DAG member virtual machine removed from the cluster."
  ?e <- (hakb-finding (id "cluster-node-evicted") (key ?node))
  ?p <- (cluster-parameter (vm ?vm&:(eq (dghs-host ?vm) (dghs-host ?node))) (object ?res) (artifact ?pa) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghs-host ?vm2) (dghs-host ?node))) (artifact ?pa) (line ?l2&:(< ?l2 ?l))))
  ?g <- (exchange-dag (name ?dag) (servers $?s&:(dghs-in ?node $?s)))
  ?a <- (cluster-setting (name "SameSubnetDelay") (value ?d&:(integerp ?d)) (cluster ?c) (artifact ?art))
  ?b <- (cluster-setting (name "SameSubnetThreshold") (value ?t&:(integerp ?t)) (cluster ?c) (artifact ?art))
  (test (<= (* ?d ?t) 5000))
  =>
  (assert (hakb-finding (id "dag-heartbeat-window-short-for-moves") (key (dghs-key ?c))
            (evidence ?p ?g ?a ?b)
            (vars cluster (if (neq ?c "") then ?c else ?dag) dag ?dag server (upcase (dghs-host ?node)) resource ?res
                  delay ?d threshold ?t window_ms (* ?d ?t) suggested (max 1 (div 10000 ?d)))))
  (assert (hakb-relate (id "cluster-node-evicted") (key ?node)
                       (other-id "dag-heartbeat-window-short-for-moves") (other-key (dghs-key ?c)))))
