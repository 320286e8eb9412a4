;;; certificate-name-not-covered: a name clients or other servers use to reach Exchange (OWA, EWS,
;;; Autodiscover and other URLs, the internal Autodiscover URI, a send connector's FQDN, the CAS
;;; array) that no certificate bound to the matching service covers (CertificateDomains or SAN,
;;; one wildcard label allowed). With only certificate files collected, any certificate counts.

(deftemplate certificate-name-in-use
  (slot name (type STRING))
  (slot usage (type STRING))
  (slot service (type STRING))          ; IIS | SMTP
  (slot severity (type STRING))
  (slot source (type FACT-ADDRESS)))

(deffunction certificate-name-covers (?name $?domains)
  "Whether one of ?domains (exact or *.suffix for a single label) covers ?name."
  (bind ?name (lowcase ?name))
  (bind ?dot (str-index "." ?name))
  (bind ?parent (if ?dot then (sub-string (+ ?dot 1) (str-length ?name) ?name) else ""))
  (progn$ (?domain ?domains)
    (bind ?d (lowcase ?domain))
    (if (eq ?d ?name) then (return TRUE))
    (if (and (neq ?parent "") (> (str-length ?d) 2) (eq (sub-string 1 2 ?d) "*.")
             (eq (sub-string 3 (str-length ?d) ?d) ?parent))
        then (return TRUE)))
  FALSE)

(deffunction certificate-name-join ($?items)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (if (eq ?text "") then (str-cat ?item) else (str-cat ?text ", " ?item))))
  ?text)

(deffunction certificate-name-label (?service ?scope)
  (bind ?names (create$ owa "OWA" ews "EWS" ecp "ECP" oab "OAB" autodiscover "Autodiscover"
                        activesync "ActiveSync" outlook-anywhere "Outlook Anywhere" powershell "PowerShell"))
  (bind ?at (member$ (sym-cat ?service) ?names))
  (str-cat (if ?at then (nth$ (+ ?at 1) ?names) else ?service) " " ?scope
           (if (eq ?service "outlook-anywhere") then " host name" else " URL")))

(defrule certificate-name-from-url
  ?u <- (exchange-url (fqdn ?n&~"") (service ?s) (scope ?scope))
  =>
  (assert (certificate-name-in-use (name ?n) (usage (certificate-name-label ?s ?scope)) (service "IIS")
            (severity "error") (source ?u))))

(defrule certificate-name-from-autodiscover-uri
  ?c <- (client-access-server (autodiscover_fqdn ?n&~""))
  =>
  (assert (certificate-name-in-use (name ?n) (usage "internal Autodiscover service URI") (service "IIS")
            (severity "error") (source ?c))))

(defrule certificate-name-from-send-connector
  ?c <- (send-connector (fqdn ?n&~"") (name ?connector))
  =>
  (assert (certificate-name-in-use (name ?n) (usage (str-cat "FQDN of send connector " ?connector))
            (service "SMTP") (severity "warning") (source ?c))))

(defrule certificate-name-from-cas-array
  ?a <- (cas-array (fqdn ?n&~""))
  =>
  (assert (certificate-name-in-use (name ?n) (usage "CAS array FQDN") (service "IIS")
            (severity "info") (source ?a))))

(defrule certificate-name-not-covered-bound
  "Exchange's certificate list is known: a certificate bound to the service must cover the name."
  (certificate-name-in-use (name ?name) (usage ?usage) (service ?svc) (severity ?sev) (source ?src))
  (exists (certificate (source "get-exchangecertificate")))
  ;; a certificate bound to the service whose names the shape did not show (Export-Csv writes a
  ;; type name for CertificateDomains) might cover it: no judgement then
  (not (certificate (services $? ?svc $?) (domains)))
  (not (certificate (services $? ?svc $?) (domains $?d&:(certificate-name-covers ?name ?d))))
  =>
  (bind ?bound (create$))
  (bind ?evidence (create$ ?src))
  (do-for-all-facts ((?c certificate)) (member$ ?svc ?c:services)
    (bind ?bound (create$ ?bound (str-cat ?c:thumbprint " (" (certificate-name-join ?c:domains) ")")))
    (bind ?evidence (create$ ?evidence ?c)))
  (assert (hakb-finding (id "certificate-name-not-covered") (key ?name) (severity ?sev) (evidence ?evidence)
            (vars name ?name usage ?usage service ?svc
                  bound (if (> (length$ ?bound) 0) then (certificate-name-join ?bound) else "")))))

(defrule certificate-name-not-covered-files
  "Only certificate files were collected: none of them covers the name."
  (certificate-name-in-use (name ?name) (usage ?usage) (service ?svc) (severity ?sev) (source ?src))
  (exists (certificate))
  (not (certificate (source "get-exchangecertificate")))
  (not (certificate (domains $?d&:(certificate-name-covers ?name ?d))))
  =>
  (assert (hakb-finding (id "certificate-name-not-covered") (key ?name) (severity ?sev) (evidence ?src)
            (vars name ?name usage ?usage service ?svc from_files "yes"))))
