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

;;; Joins go through one fact per DAG and per VM setting (built first), so the same evidence seen
;;; k times (k bundles of one incident) costs O(k) firings; each line adds itself as evidence.
(deftemplate dgoa-dag "A DAG and its members." (slot name) (multislot servers))
(deftemplate dgoa-setting "A VM resource's OfflineAction other than 2." (slot vm) (slot resource) (slot number))
(deftemplate dgoa-found "The finding of this VM (short name) in this DAG." (slot host) (slot dag))

(defrule dag-hyperv-offline-action-dag
  (declare (salience 10))
  (exchange-dag (name ?dag) (servers $?s))
  =>
  (assert (dgoa-dag (name ?dag) (servers $?s))))

(defrule dag-hyperv-offline-action-setting
  (declare (salience 10))
  (cluster-parameter (vm ?vm&~"") (object ?res) (name ?pn&:(eq (lowcase ?pn) "offlineaction"))
                     (number ?n&:(integerp ?n)&:(neq ?n 2)))
  =>
  (assert (dgoa-setting (vm ?vm) (resource ?res) (number ?n))))

(defrule dag-hyperv-offline-action
  (dgoa-setting (vm ?vm) (resource ?res) (number ?n))
  (dgoa-dag (name ?dag) (servers $?s&:(dgoa-in ?vm $?s)))
  =>
  (assert (dgoa-found (host (dgoa-host ?vm)) (dag ?dag)))
  (assert (hakb-finding (id "dag-hyperv-offline-action") (key (dgoa-host ?vm))
            (vars server ?vm resource ?res value ?n value_name (dgoa-name ?n) dag ?dag))))

(defrule dag-hyperv-offline-action-evidence
  "The OfflineAction lines of the VM and the DAG's lines."
  (dgoa-found (host ?h) (dag ?dag))
  (or ?e <- (cluster-parameter (vm ?vm&:(eq (dgoa-host ?vm) ?h)) (name ?pn&:(eq (lowcase ?pn) "offlineaction"))
                               (number ?n&:(integerp ?n)&:(neq ?n 2)))
      ?e <- (exchange-dag (name ?dag) (servers $?s&:(dgoa-in ?h $?s))))
  =>
  (assert (hakb-finding (id "dag-hyperv-offline-action") (key ?h) (evidence ?e))))
