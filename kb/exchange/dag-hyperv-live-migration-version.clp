;;; dag-hyperv-live-migration-version: DAG members may be live migrated only from Exchange 2010 SP1 (14.1).
;;; A "Virtual Machine <name>" cluster resource whose VM is a DAG member shows the member runs on a Hyper-V cluster.

(deffunction dghv-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dghv-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dghv-host ?name))
  (foreach ?x ?names (if (eq (dghv-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dghv-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

;;; Joins go through one fact per VM resource, per DAG and per Exchange server (built first), so
;;; the same evidence seen k times (k bundles of one incident) costs O(k) firings: the conclusion
;;; is asserted once per VM and each line that shows it adds itself as evidence.
(deftemplate dghv-vm "A VM cluster resource (host: the VM's short name)." (slot host) (slot vm) (slot resource))
(deftemplate dghv-dag "A DAG and its members." (slot name) (multislot servers))
(deftemplate dghv-server "An Exchange server's version (host: its short name)."
  (slot host) (slot name) (slot version) (slot major) (slot minor))
(deftemplate dghv-found "The finding of this VM in this DAG." (slot host) (slot dag))

(defrule dag-hyperv-live-migration-version-vm
  (declare (salience 10))
  (cluster-parameter (vm ?vm&~"") (object ?res) (artifact ?a) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghv-host ?vm2) (dghv-host ?vm))) (artifact ?a) (line ?l2&:(< ?l2 ?l))))
  =>
  (assert (dghv-vm (host (dghv-host ?vm)) (vm ?vm) (resource ?res))))

(defrule dag-hyperv-live-migration-version-dag
  (declare (salience 10))
  (exchange-dag (name ?dag) (servers $?s))
  =>
  (assert (dghv-dag (name ?dag) (servers $?s))))

(defrule dag-hyperv-live-migration-version-server
  (declare (salience 10))
  (exchange-server (name ?n) (version ?v) (major ?mj&:(integerp ?mj)) (minor ?mi))
  =>
  (assert (dghv-server (host (dghv-host ?n)) (name ?n) (version ?v) (major ?mj) (minor ?mi))))

(defrule dag-hyperv-live-migration-version
  (dghv-vm (host ?h) (vm ?vm) (resource ?res))
  (dghv-dag (name ?dag) (servers $?s&:(dghv-in ?vm $?s)))
  (dghv-server (host ?h) (name ?n) (version ?v) (major ?mj) (minor ?mi&:(integerp ?mi)))
  (test (or (< ?mj 14) (and (= ?mj 14) (< ?mi 1))))
  =>
  (assert (dghv-found (host ?h) (dag ?dag)))
  (assert (hakb-finding (id "dag-hyperv-live-migration-version") (key ?h)
            (vars server ?n version ?v resource ?res dag ?dag))))

(defrule dag-hyperv-live-migration-version-unknown
  (dghv-vm (host ?h) (vm ?vm) (resource ?res))
  (dghv-dag (servers $?s&:(dghv-in ?vm $?s)))
  (not (dghv-server (host ?h)))
  =>
  (assert (hakb-unverified (rule "dag-hyperv-live-migration-version")
            (check (str-cat "whether DAG member " ?vm " (" ?res ") runs Exchange 2010 SP1 or later, needed to live migrate it"))
            (collect (str-cat "Get-ExchangeServer " ?vm " | fl Name,AdminDisplayVersion")))))

(defrule dag-hyperv-live-migration-version-evidence
  "The VM resource's first line in each listing, the DAG's lines and the server's version lines."
  (dghv-found (host ?h) (dag ?dag))
  (or (and ?e <- (cluster-parameter (vm ?vm&:(eq (dghv-host ?vm) ?h)) (artifact ?a) (line ?l))
           (not (cluster-parameter (vm ?vm2&:(eq (dghv-host ?vm2) ?h)) (artifact ?a) (line ?l2&:(< ?l2 ?l)))))
      ?e <- (exchange-dag (name ?dag) (servers $?s&:(dghv-in ?h $?s)))
      ?e <- (exchange-server (name ?n&:(eq (dghv-host ?n) ?h)) (major ?mj&:(integerp ?mj))
                             (minor ?mi&:(integerp ?mi)&:(or (< ?mj 14) (and (= ?mj 14) (< ?mi 1))))))
  =>
  (assert (hakb-finding (id "dag-hyperv-live-migration-version") (key ?h) (evidence ?e))))
