;;; dag-hyperv-offline-action: the cluster-controlled offline action of a DAG member VM must be Shut down (2).

(deffunction dgoa-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgoa-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgoa-host ?name))
  (foreach ?x ?names (if (eq (dgoa-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgoa-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deffunction dgoa-name (?n)
  (if (eq ?n 0) then "Turn off" else (if (eq ?n 1) then "Save" else (if (eq ?n 2) then "Shut down"
   else (if (eq ?n 3) then "Shut down (forced)" else (str-cat ?n))))))

(defrule dag-hyperv-offline-action
  ?p <- (cluster-parameter (vm ?vm&~"") (object ?res) (name ?pn&:(eq (lowcase ?pn) "offlineaction"))
                           (number ?n&:(integerp ?n)&:(neq ?n 2)))
  ?d <- (exchange-dag (name ?dag) (servers $?s&:(dgoa-in ?vm $?s)))
  =>
  (assert (hakb-finding (id "dag-hyperv-offline-action") (key (dgoa-host ?vm)) (evidence ?p ?d)
            (vars server ?vm resource ?res value ?n value_name (dgoa-name ?n) dag ?dag))))
