;;; kerberos-spn-*: Kerberos for internal Outlook clients behind a CAS array. The alternate
;;; service account (ASA) shared by all Client Access servers must hold exchangeMDB/, exchangeRFR/
;;; and exchangeAB/ for the CAS array FQDN and http/ for the FQDN of the internal Autodiscover
;;; service URI, each registered once in the forest and all on that one account. The external
;;; autodiscover name is not needed for internal clients (they find the SCP in Active Directory).
;;; Judged only when setspn output was collected.

(deftemplate kerberos-required-spn
  "An SPN internal Outlook clients will ask for, and the fact that makes it needed."
  (slot service (type STRING))
  (slot target (type STRING))
  (slot reason (type STRING))
  (slot source (type FACT-ADDRESS)))

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

(defrule kerberos-spn-required-for-array
  "The CAS array FQDN needs the three RPC SPNs."
  (exists (spn-registration))
  ?a <- (cas-array (fqdn ?f&~""))
  =>
  (progn$ (?service (create$ "exchangeMDB" "exchangeRFR" "exchangeAB"))
    (assert (kerberos-required-spn (service ?service) (target ?f) (reason "the CAS array FQDN") (source ?a)))))

(defrule kerberos-spn-required-for-autodiscover
  "The internal Autodiscover URI's FQDN needs http/."
  (exists (spn-registration))
  ?c <- (client-access-server (autodiscover_fqdn ?f&~""))
  =>
  (assert (kerberos-required-spn (service "http") (target ?f)
            (reason "the internal Autodiscover service URI") (source ?c))))

(defrule kerberos-spn-missing
  "A needed SPN is registered on no account in the collected setspn output."
  (kerberos-required-spn (service ?svc) (target ?t) (reason ?why) (source ?src))
  (not (spn-registration (service_class ?c) (target ?x&:(kerberos-same-spn ?c ?x ?svc ?t))))
  =>
  (bind ?asa (kerberos-asa))
  (assert (hakb-finding (id "kerberos-spn-missing") (key (str-cat ?svc "/" ?t)) (evidence ?src)
            (vars spn (str-cat ?svc "/" ?t) fqdn ?t reason ?why account ?asa
                  account_name (if (neq ?asa "") then (kerberos-cn ?asa) else "")))))

(defrule kerberos-spn-duplicate
  "One SPN registered on two accounts: the KDC cannot tell which key to use."
  ?a <- (spn-registration (spn ?s) (account ?x))
  ?b <- (spn-registration (spn ?s2&:(eq (lowcase ?s2) (lowcase ?s)))
                          (account ?y&:(< (str-compare (lowcase ?x) (lowcase ?y)) 0)))
  =>
  (assert (hakb-finding (id "kerberos-spn-duplicate") (key (lowcase ?s)) (evidence ?a ?b)
            (vars spn ?s accounts ?x accounts ?y account_names (kerberos-cn ?x) account_names (kerberos-cn ?y)))))

(defrule kerberos-spn-split
  "Needed SPNs sit on different accounts (each once): the CAS servers can only use one ASA."
  (kerberos-required-spn (service ?s1) (target ?t1))
  ?a <- (spn-registration (service_class ?c1) (target ?u1&:(kerberos-same-spn ?c1 ?u1 ?s1 ?t1)) (account ?x) (spn ?p1))
  (kerberos-required-spn (service ?s2) (target ?t2))
  ?b <- (spn-registration (service_class ?c2) (target ?u2&:(kerberos-same-spn ?c2 ?u2 ?s2 ?t2)) (spn ?p2)
                          (account ?y&:(< (str-compare (lowcase ?x) (lowcase ?y)) 0)))
  (not (spn-registration (service_class ?c1) (target ?u1) (account ?z&:(neq (lowcase ?z) (lowcase ?x)))))
  (not (spn-registration (service_class ?c2) (target ?u2) (account ?w&:(neq (lowcase ?w) (lowcase ?y)))))
  =>
  (assert (hakb-finding (id "kerberos-spn-split") (key "alternate service account") (evidence ?a ?b)
            (vars accounts ?x accounts ?y spns (str-cat ?p1 " on " (kerberos-cn ?x))
                  spns (str-cat ?p2 " on " (kerberos-cn ?y))))))

(defrule kerberos-spn-external-autodiscover
  "An autodiscover.* SPN that is neither the internal Autodiscover FQDN nor the CAS array."
  ?s <- (spn-registration (target ?t&:(eq (str-index "autodiscover." ?t) 1)) (spn ?spn) (account ?acc))
  (exists (client-access-server (autodiscover_fqdn ~"")))
  (not (client-access-server (autodiscover_fqdn ?t)))
  (not (cas-array (fqdn ?t)))
  =>
  (bind ?internal (create$))
  (do-for-all-facts ((?c client-access-server))
      (and (neq ?c:autodiscover_fqdn "") (not (member$ ?c:autodiscover_fqdn ?internal)))
    (bind ?internal (create$ ?internal ?c:autodiscover_fqdn)))
  (assert (hakb-finding (id "kerberos-spn-external-autodiscover") (key (lowcase ?spn)) (evidence ?s)
            (vars spn ?spn account ?acc account_name (kerberos-cn ?acc) internal (kerberos-join ?internal)))))
