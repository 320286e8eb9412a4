;;; dag-hyperv-practices: DAG members run as clustered Hyper-V virtual machines: the practices that keep moves short.

(deffunction dghp-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dghp-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dghp-host ?name))
  (foreach ?x ?names (if (eq (dghp-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dghp-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

;; One fact per DAG (the same DAG seen in k bundles is one), so each VM line joins one DAG fact:
;; k copies cost O(k).
(deftemplate dghp-dag "A DAG and its members." (slot name) (multislot servers))

(defrule dag-hyperv-practices-dag
  (declare (salience 10))
  (exchange-dag (name ?dag) (servers $?s))
  =>
  (assert (dghp-dag (name ?dag) (servers $?s))))

(defrule dag-hyperv-practices
  ?p <- (cluster-parameter (vm ?vm&~"") (artifact ?a) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghp-host ?vm2) (dghp-host ?vm))) (artifact ?a) (line ?l2&:(< ?l2 ?l))))
  (dghp-dag (name ?dag) (servers $?s&:(dghp-in ?vm $?s)))
  =>
  (assert (hakb-finding (id "dag-hyperv-practices") (key ?dag) (evidence ?p)
            (vars dag ?dag vm (upcase (dghp-host ?vm))))))
