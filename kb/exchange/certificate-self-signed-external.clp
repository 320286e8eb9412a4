;;; certificate-self-signed-external: the certificate bound to IIS signed itself, while Exchange
;;; publishes external URLs: Outlook Anywhere, ActiveSync devices and browsers outside the domain
;;; do not trust it.

(defrule certificate-self-signed-external
  ?c <- (certificate (thumbprint ?t&~"") (self_signed TRUE) (services $? "IIS" $?) (subject ?subject)
                     (not_after_iso ?iso) (server ?server))
  ?u <- (exchange-url (scope "external") (fqdn ?name&~""))
  =>
  (assert (hakb-finding (id "certificate-self-signed-external") (key ?t) (evidence ?c ?u)
            (vars thumbprint ?t subject ?subject external_names ?name server ?server not_after ?iso))))
