;;; dag-heartbeat-window-too-long: the DAG cluster removes a node silent for longer than delay x threshold.
;;; Above 10 s is too long for a DAG; at the 5 s default, DAG member VMs evicted during moves mean
;;; the moves pause them too long. Both are tied to the node-removed findings (one story).

(deffunction dghb-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dghb-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dghb-host ?name))
  (foreach ?x ?names (if (eq (dghb-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dghb-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deffunction dghb-threshold-of (?delay-name)
  (if (eq ?delay-name "SameSubnetDelay") then "SameSubnetThreshold" else "CrossSubnetThreshold"))

(deffunction dghb-key (?cluster ?host ?delay-name)
  (str-cat (if (neq ?cluster "") then ?cluster else (if (neq ?host "") then ?host else "cluster"))
           (if (eq ?delay-name "SameSubnetDelay") then " same-subnet" else " cross-subnet")))

(defrule dag-heartbeat-window-too-long
  ?a <- (cluster-setting (name ?dn&"SameSubnetDelay"|"CrossSubnetDelay") (value ?d&:(integerp ?d))
                         (cluster ?c) (host ?h) (artifact ?art))
  ?b <- (cluster-setting (name ?tn&:(eq ?tn (dghb-threshold-of ?dn))) (value ?t&:(integerp ?t)) (cluster ?c) (artifact ?art))
  (test (> (* ?d ?t) 10000))
  ?g <- (exchange-dag (name ?dag))
  =>
  (assert (hakb-finding (id "dag-heartbeat-window-too-long") (key (dghb-key ?c ?h ?dn)) (evidence ?a ?b)
            (vars cluster (if (neq ?c "") then ?c else ?dag) delay_name ?dn delay ?d threshold_name ?tn
                  threshold ?t window_ms (* ?d ?t) suggested (max 1 (div 10000 ?d))))))

(defrule dag-heartbeat-window-on-eviction
  "A node-removed finding gets the same-subnet heartbeat values of the case."
  ?e <- (hakb-finding (id "cluster-node-evicted") (key ?node))
  ?a <- (cluster-setting (name "SameSubnetDelay") (value ?d&:(integerp ?d)) (cluster ?c) (artifact ?art))
  ?b <- (cluster-setting (name "SameSubnetThreshold") (value ?t&:(integerp ?t)) (cluster ?c) (artifact ?art))
  (exists (exchange-dag))
  =>
  (assert (hakb-finding (id "cluster-node-evicted") (key ?node) (evidence ?a ?b)
            (vars delay_name "SameSubnetDelay" delay ?d threshold_name "SameSubnetThreshold" threshold ?t
                  window_ms (* ?d ?t)))))

(defrule dag-heartbeat-window-too-long-story
  "A node removed from the cluster and a heartbeat window too long are one story."
  (hakb-finding (id "cluster-node-evicted") (key ?node))
  (hakb-finding (id "dag-heartbeat-window-too-long") (key ?k))
  =>
  (assert (hakb-relate (id "cluster-node-evicted") (key ?node) (other-id "dag-heartbeat-window-too-long") (other-key ?k))))

