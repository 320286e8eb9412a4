;;; kerberos-spn-*: Kerberos for internal Outlook clients behind a CAS array. The alternate
;;; service account (ASA) shared by all Client Access servers must hold exchangeMDB/, exchangeRFR/
;;; and exchangeAB/ for the CAS array FQDN and http/ for the FQDN of the internal Autodiscover
;;; service URI, each registered once in the forest and all on that one account. The external
;;; autodiscover name is not needed for internal clients (they find the SCP in Active Directory).
;;; Judged only when setspn output was collected.

;;; Joins go through one fact per needed SPN and per registration (account, SPN), built first, so
;;; the same evidence seen k times (k bundles of one incident) costs O(k) firings: each conclusion
;;; is asserted once per key and each line that proves it adds itself as evidence.

(deftemplate kerberos-required-spn
  "An SPN internal Outlook clients will ask for (class: the service as setspn lists it)."
  (slot service (type STRING))
  (slot class (type STRING))
  (slot target (type STRING))
  (slot reason (type STRING)))
(deftemplate kerberos-required-source
  "The fact that makes an SPN needed (a CAS array, a Client Access server's Autodiscover URI)."
  (slot service (type STRING)) (slot target (type STRING)) (slot source (type FACT-ADDRESS)))
(deftemplate kerberos-spn-held "An SPN as registered on one account (key, laccount: lower case)."
  (slot spn (type STRING)) (slot key (type STRING)) (slot account (type STRING))
  (slot laccount (type STRING)) (slot class (type STRING)) (slot target (type STRING)))
(deftemplate kerberos-spn-missing-spn "A needed SPN no account holds."
  (slot service (type STRING)) (slot target (type STRING)))
(deftemplate kerberos-spn-pair "An SPN (lower case) on two accounts (lower case, in order)."
  (slot key (type STRING)) (slot first (type STRING)) (slot second (type STRING)))
(deftemplate kerberos-spn-external "An external autodiscover SPN (lower case) reported."
  (slot key (type STRING)))
(deftemplate kerberos-spn-split-side "A needed SPN held by one account only, in a split."
  (slot class (type STRING)) (slot target (type STRING)) (slot laccount (type STRING)))

(deffunction kerberos-cn (?dn)
  "The first CN of a distinguished name (the account's name): CN=EXCHASA,CN=Computers,... -> EXCHASA."
  (bind ?text ?dn)
  (if (eq (lowcase (sub-string 1 3 ?text)) "cn=") then (bind ?text (sub-string 4 (str-length ?text) ?text)))
  (bind ?comma (str-index "," ?text))
  (if ?comma then (sub-string 1 (- ?comma 1) ?text) else ?text))

(deffunction kerberos-join (?items)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (if (eq ?text "") then (str-cat ?item) else (str-cat ?text ", " ?item))))
  ?text)

(deffunction kerberos-same-spn (?class ?target ?service ?wanted-target)
  (and (eq ?class (lowcase ?service)) (eq ?target ?wanted-target)))

(deffunction kerberos-asa ()
  "The account holding the most of the needed SPNs: the alternate service account in use."
  (bind ?accounts (create$))
  (bind ?counts (create$))
  (do-for-all-facts ((?s spn-registration))
      (any-factp ((?q kerberos-required-spn)) (kerberos-same-spn ?s:service_class ?s:target ?q:service ?q:target))
    (bind ?at (member$ ?s:account ?accounts))
    (if ?at
        then (bind ?counts (replace$ ?counts ?at ?at (+ (nth$ ?at ?counts) 1)))
        else (bind ?accounts (create$ ?accounts ?s:account))
             (bind ?counts (create$ ?counts 1))))
  (bind ?best "")
  (bind ?most 0)
  (loop-for-count (?i (length$ ?accounts))
    (if (> (nth$ ?i ?counts) ?most) then (bind ?best (nth$ ?i ?accounts)) (bind ?most (nth$ ?i ?counts))))
  ?best)

;;; -- one fact per needed SPN and per registration ---------------------------------------------

(defrule kerberos-spn-required-for-array
  "The CAS array FQDN needs the three RPC SPNs."
  (declare (salience 10))
  (exists (spn-registration))
  ?a <- (cas-array (fqdn ?f&~""))
  =>
  (progn$ (?service (create$ "exchangeMDB" "exchangeRFR" "exchangeAB"))
    (assert (kerberos-required-spn (service ?service) (class (lowcase ?service)) (target ?f)
                                   (reason "the CAS array FQDN"))
            (kerberos-required-source (service ?service) (target ?f) (source ?a)))))

(defrule kerberos-spn-required-for-autodiscover
  "The internal Autodiscover URI's FQDN needs http/."
  (declare (salience 10))
  (exists (spn-registration))
  ?c <- (client-access-server (autodiscover_fqdn ?f&~""))
  =>
  (assert (kerberos-required-spn (service "http") (class "http") (target ?f)
                                 (reason "the internal Autodiscover service URI"))
          (kerberos-required-source (service "http") (target ?f) (source ?c))))

(defrule kerberos-spn-held
  (declare (salience 10))
  (spn-registration (spn ?s) (account ?x) (service_class ?c) (target ?t))
  =>
  (assert (kerberos-spn-held (spn ?s) (key (lowcase ?s)) (account ?x) (laccount (lowcase ?x))
                             (class ?c) (target ?t))))

;;; -- the conclusions, once per key -------------------------------------------------------------------

(defrule kerberos-spn-missing
  "A needed SPN is registered on no account in the collected setspn output."
  (kerberos-required-spn (service ?svc) (class ?class) (target ?t) (reason ?why))
  (not (kerberos-spn-held (class ?class) (target ?t)))
  =>
  (bind ?asa (kerberos-asa))
  (assert (kerberos-spn-missing-spn (service ?svc) (target ?t)))
  (assert (hakb-finding (id "kerberos-spn-missing") (key (str-cat ?svc "/" ?t))
            (vars spn (str-cat ?svc "/" ?t) fqdn ?t reason ?why account ?asa
                  account_name (if (neq ?asa "") then (kerberos-cn ?asa) else "")))))

(defrule kerberos-spn-missing-evidence
  "The array or server that makes the missing SPN needed."
  (kerberos-spn-missing-spn (service ?svc) (target ?t))
  (kerberos-required-source (service ?svc) (target ?t) (source ?src))
  =>
  (assert (hakb-finding (id "kerberos-spn-missing") (key (str-cat ?svc "/" ?t)) (evidence ?src))))

(defrule kerberos-spn-duplicate
  "One SPN registered on two accounts: the KDC cannot tell which key to use."
  (kerberos-spn-held (spn ?s) (key ?k) (account ?x) (laccount ?lx))
  (kerberos-spn-held (key ?k) (account ?y) (laccount ?ly&:(< (str-compare ?lx ?ly) 0)))
  =>
  (assert (kerberos-spn-pair (key ?k) (first ?lx) (second ?ly)))
  (assert (hakb-finding (id "kerberos-spn-duplicate") (key ?k)
            (vars spn ?s accounts ?x accounts ?y account_names (kerberos-cn ?x) account_names (kerberos-cn ?y)))))

(defrule kerberos-spn-duplicate-evidence
  "The registrations of the SPN on either account."
  (kerberos-spn-pair (key ?k) (first ?lx) (second ?ly))
  ?r <- (spn-registration (spn ?s&:(eq (lowcase ?s) ?k)) (account ?a&:(member$ (lowcase ?a) (create$ ?lx ?ly))))
  =>
  (assert (hakb-finding (id "kerberos-spn-duplicate") (key ?k) (evidence ?r))))

(defrule kerberos-spn-split
  "Needed SPNs sit on different accounts (each once): the CAS servers can only use one ASA."
  (kerberos-required-spn (class ?s1) (target ?t1))
  (kerberos-spn-held (class ?c1&:(eq ?c1 ?s1)) (target ?t1) (account ?x) (laccount ?lx) (spn ?p1))
  (kerberos-required-spn (class ?s2) (target ?t2))
  (kerberos-spn-held (class ?c2&:(eq ?c2 ?s2)) (target ?t2) (spn ?p2) (account ?y)
                     (laccount ?ly&:(< (str-compare ?lx ?ly) 0)))
  (not (kerberos-spn-held (class ?c1) (target ?t1) (laccount ~?lx)))
  (not (kerberos-spn-held (class ?c2) (target ?t2) (laccount ~?ly)))
  =>
  (assert (kerberos-spn-split-side (class ?c1) (target ?t1) (laccount ?lx))
          (kerberos-spn-split-side (class ?c2) (target ?t2) (laccount ?ly)))
  (assert (hakb-finding (id "kerberos-spn-split") (key "alternate service account")
            (vars accounts ?x accounts ?y spns (str-cat ?p1 " on " (kerberos-cn ?x))
                  spns (str-cat ?p2 " on " (kerberos-cn ?y))))))

(defrule kerberos-spn-split-evidence
  "The registrations of the split SPNs."
  (kerberos-spn-split-side (class ?c) (target ?t) (laccount ?lx))
  ?r <- (spn-registration (service_class ?c) (target ?t) (account ?a&:(eq (lowcase ?a) ?lx)))
  =>
  (assert (hakb-finding (id "kerberos-spn-split") (key "alternate service account") (evidence ?r))))

(defrule kerberos-spn-external-autodiscover
  "An autodiscover.* SPN that is neither the internal Autodiscover FQDN nor the CAS array."
  (kerberos-spn-held (target ?t&:(eq (str-index "autodiscover." ?t) 1)) (spn ?spn) (account ?acc))
  (exists (client-access-server (autodiscover_fqdn ~"")))
  (not (client-access-server (autodiscover_fqdn ?t)))
  (not (cas-array (fqdn ?t)))
  =>
  (bind ?internal (create$))
  (do-for-all-facts ((?c client-access-server))
      (and (neq ?c:autodiscover_fqdn "") (not (member$ ?c:autodiscover_fqdn ?internal)))
    (bind ?internal (create$ ?internal ?c:autodiscover_fqdn)))
  (assert (kerberos-spn-external (key (lowcase ?spn))))
  (assert (hakb-finding (id "kerberos-spn-external-autodiscover") (key (lowcase ?spn))
            (vars spn ?spn account ?acc account_name (kerberos-cn ?acc) internal (kerberos-join ?internal)))))

(defrule kerberos-spn-external-autodiscover-evidence
  "The registrations of that SPN."
  (kerberos-spn-external (key ?k))
  ?s <- (spn-registration (spn ?spn&:(eq (lowcase ?spn) ?k)) (target ?t&:(eq (str-index "autodiscover." ?t) 1)))
  (not (client-access-server (autodiscover_fqdn ?t)))
  (not (cas-array (fqdn ?t)))
  =>
  (assert (hakb-finding (id "kerberos-spn-external-autodiscover") (key ?k) (evidence ?s))))
