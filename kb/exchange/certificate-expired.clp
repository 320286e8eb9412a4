;;; certificate-expired / certificate-expiring: a certificate bound to IIS, SMTP, IMAP, POP or UM
;;; that has expired, or expires within ?*certificate-warning-days* days, as of the case's time
;;; (hakb-case as-of: --as-of, else the bundle's collection time, else now). Certificate files
;;; (PEM/DER) have no binding; they are judged on their dates alone when no Get-ExchangeCertificate
;;; output names the same thumbprint.

(defglobal ?*certificate-warning-days* = 30)   ; change here to warn earlier or later

(deffunction certificate-expiry-bound ($?services)
  (progn$ (?s ?services)
    (if (member$ (upcase ?s) (create$ "IIS" "SMTP" "IMAP" "POP" "UM")) then (return TRUE)))
  FALSE)

(deffunction certificate-expiry-join ($?items)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (if (eq ?text "") then (str-cat ?item) else (str-cat ?text ", " ?item))))
  ?text)

(deffunction certificate-expiry-window (?now)
  (+ ?now (* ?*certificate-warning-days* 86400)))

(defrule certificate-expired-bound
  (hakb-case (as-of ?now) (as-of-iso ?now-iso))
  ?c <- (certificate (thumbprint ?t&~"") (subject ?subject) (services $?svc&:(certificate-expiry-bound ?svc))
                     (not_after ?na&:(integerp ?na)&:(< ?na ?now)) (not_after_iso ?iso) (server ?server))
  =>
  (assert (hakb-finding (id "certificate-expired") (key ?t) (evidence ?c)
            (vars thumbprint ?t subject ?subject services (certificate-expiry-join ?svc) not_after ?iso
                  days (div (- ?now ?na) 86400) as_of ?now-iso server ?server))))

(defrule certificate-expired-file
  (hakb-case (as-of ?now) (as-of-iso ?now-iso))
  ?c <- (certificate (source "x509-pem"|"x509-der") (thumbprint ?t&~"") (subject ?subject)
                     (not_after ?na&:(integerp ?na)&:(< ?na ?now)) (not_after_iso ?iso))
  (not (certificate (thumbprint ?t) (source "get-exchangecertificate")))
  =>
  (assert (hakb-finding (id "certificate-expired") (key ?t) (evidence ?c)
            (vars thumbprint ?t subject ?subject not_after ?iso days (div (- ?now ?na) 86400)
                  as_of ?now-iso from_file "yes"))))

(defrule certificate-expiring-bound
  (hakb-case (as-of ?now) (as-of-iso ?now-iso))
  ?c <- (certificate (thumbprint ?t&~"") (subject ?subject) (services $?svc&:(certificate-expiry-bound ?svc))
                     (not_after ?na&:(integerp ?na)&:(>= ?na ?now)&:(< ?na (certificate-expiry-window ?now)))
                     (not_after_iso ?iso) (server ?server))
  =>
  (assert (hakb-finding (id "certificate-expiring") (key ?t) (evidence ?c)
            (vars thumbprint ?t subject ?subject services (certificate-expiry-join ?svc) not_after ?iso
                  days (div (- ?na ?now) 86400) window ?*certificate-warning-days* as_of ?now-iso
                  server ?server))))

(defrule certificate-expiring-file
  (hakb-case (as-of ?now) (as-of-iso ?now-iso))
  ?c <- (certificate (source "x509-pem"|"x509-der") (thumbprint ?t&~"") (subject ?subject)
                     (not_after ?na&:(integerp ?na)&:(>= ?na ?now)&:(< ?na (certificate-expiry-window ?now)))
                     (not_after_iso ?iso))
  (not (certificate (thumbprint ?t) (source "get-exchangecertificate")))
  =>
  (assert (hakb-finding (id "certificate-expiring") (key ?t) (evidence ?c)
            (vars thumbprint ?t subject ?subject not_after ?iso days (div (- ?na ?now) 86400)
                  window ?*certificate-warning-days* as_of ?now-iso from_file "yes"))))
