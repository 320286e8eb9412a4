;;; dag-witness-other-forest: the witness must be in the same forest as the DAG; judged by DNS name,
;;; which only says "looks like another forest" (lower confidence).

(deffunction dgwo-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgwo-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgwo-host ?name))
  (foreach ?x ?names (if (eq (dgwo-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgwo-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deffunction dgwo-suffix (?fqdn)
  "The DNS suffix of a name (after the first dot), lower case; empty when there is none."
  (bind ?n (lowcase (str-cat ?fqdn)))
  (bind ?dot (str-index "." ?n))
  (if ?dot then (sub-string (+ ?dot 1) (str-length ?n) ?n) else ""))

(deffunction dgwo-root (?suffix)
  "The last two labels of a DNS suffix (the forest root guess)."
  (bind ?n ?suffix)
  (bind ?labels (create$))
  (while (bind ?dot (str-index "." ?n))
    (bind ?labels (create$ ?labels (sub-string 1 (- ?dot 1) ?n)))
    (bind ?n (sub-string (+ ?dot 1) (str-length ?n) ?n)))
  (bind ?labels (create$ ?labels ?n))
  (bind ?count (length$ ?labels))
  (if (>= ?count 2) then (str-cat (nth$ (- ?count 1) ?labels) "." (nth$ ?count ?labels)) else ?n))

(defrule dag-witness-other-forest
  ?d <- (exchange-dag (name ?dag) (servers $?servers) (witness_server ?w&:(neq (dgwo-suffix ?w) "")))
  ?s <- (exchange-server (name ?n&:(dgwo-in ?n $?servers)) (fqdn ?f&:(neq (dgwo-suffix ?f) "")))
  (test (neq (dgwo-root (dgwo-suffix ?w)) (dgwo-root (dgwo-suffix ?f))))
  =>
  (assert (hakb-finding (id "dag-witness-other-forest") (key ?dag) (evidence ?d ?s)
            (vars dag ?dag witness ?w witness_domain (dgwo-suffix ?w) member ?n member_domain (dgwo-suffix ?f)))))
