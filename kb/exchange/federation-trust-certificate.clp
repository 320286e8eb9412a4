;;; federation-trust-certificate: Exchange 2010 RTM (14.0, e.g. 14.0.639.21) needs a federation
;;; trust certificate from a trusted third-party CA; from SP1 (14.1) on, a self-signed certificate
;;; (the New Federation Trust wizard makes one) or one from an internal PKI is accepted.

(deffunction federation-trust-not-third-party (?self-signed ?root-ca-type)
  (or (eq ?self-signed TRUE)
      (and (neq ?root-ca-type "") (neq (lowcase ?root-ca-type) "thirdparty"))))

(defrule federation-trust-certificate-rtm
  "A federation trust certificate that is not from a third-party CA, with an Exchange 2010 RTM server."
  ?t <- (federation-trust (name ?trust) (org_certificate ?tp&~""))
  ?s <- (exchange-server (name ?server) (major 14) (minor 0) (version ?v))
  ?c <- (certificate (thumbprint ?ctp&:(eq (upcase ?ctp) (upcase ?tp))) (subject ?subject) (issuer ?issuer)
                     (self_signed ?ss) (root_ca_type ?rt&:(federation-trust-not-third-party ?ss ?rt)))
  =>
  (assert (hakb-finding (id "federation-trust-certificate") (key (upcase ?tp)) (evidence ?t ?s ?c)
            (vars trust ?trust thumbprint (upcase ?tp) subject ?subject issuer ?issuer server ?server
                  version ?v self_signed (if (eq ?ss TRUE) then "yes" else "") root_ca_type ?rt))))

(defrule federation-trust-certificate-unknown
  "An Exchange 2010 RTM server and a federation trust whose certificate was not collected."
  (federation-trust (org_certificate ?tp&~""))
  (exchange-server (name ?server) (major 14) (minor 0))
  (not (certificate (thumbprint ?ctp&:(eq (upcase ?ctp) (upcase ?tp)))))
  =>
  (assert (hakb-unverified (rule "federation-trust-certificate")
            (check (str-cat "whether federation trust certificate " ?tp " comes from a third-party CA ("
                            ?server " runs Exchange 2010 RTM)"))
            (collect (str-cat "Get-ExchangeCertificate -Thumbprint " ?tp " | fl")))))
