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

(defrule dag-hyperv-live-migration-version
  ?p <- (cluster-parameter (vm ?vm&~"") (object ?res) (artifact ?a) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghv-host ?vm2) (dghv-host ?vm))) (artifact ?a) (line ?l2&:(< ?l2 ?l))))
  ?d <- (exchange-dag (name ?dag) (servers $?s&:(dghv-in ?vm $?s)))
  ?x <- (exchange-server (name ?n&:(eq (dghv-host ?n) (dghv-host ?vm))) (version ?v)
                         (major ?mj&:(integerp ?mj)) (minor ?mi&:(integerp ?mi)))
  (test (or (< ?mj 14) (and (= ?mj 14) (< ?mi 1))))
  =>
  (assert (hakb-finding (id "dag-hyperv-live-migration-version") (key (dghv-host ?vm)) (evidence ?p ?d ?x)
            (vars server ?n version ?v resource ?res dag ?dag))))

(defrule dag-hyperv-live-migration-version-unknown
  ?p <- (cluster-parameter (vm ?vm&~"") (object ?res) (artifact ?a) (line ?l))
  (not (cluster-parameter (vm ?vm2&:(eq (dghv-host ?vm2) (dghv-host ?vm))) (artifact ?a) (line ?l2&:(< ?l2 ?l))))
  (exchange-dag (name ?dag) (servers $?s&:(dghv-in ?vm $?s)))
  (not (exchange-server (name ?n&:(eq (dghv-host ?n) (dghv-host ?vm))) (major ?mj&:(integerp ?mj))))
  =>
  (assert (hakb-unverified (rule "dag-hyperv-live-migration-version")
            (check (str-cat "whether DAG member " ?vm " (" ?res ") runs Exchange 2010 SP1 or later, needed to live migrate it"))
            (collect (str-cat "Get-ExchangeServer " ?vm " | fl Name,AdminDisplayVersion")))))
