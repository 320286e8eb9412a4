;;; dag-duplicate-copy: a server can hold only one copy of a given database.
;;; Two entries count only within one listing (one command's output): a transcript may list a
;;; copy once per command (-Server EX02, then the database's copies).

(defrule dag-duplicate-copy
  ?a <- (exchange-db-copy (database ?db&~"") (server ?srv&~"") (artifact ?art) (listing ?lst) (line ?l1))
  ?b <- (exchange-db-copy (database ?db2&:(eq (lowcase ?db2) (lowcase ?db)))
                          (server ?s2&:(eq (lowcase ?s2) (lowcase ?srv))) (artifact ?art) (listing ?lst)
                          (line ?l2&:(> ?l2 ?l1)))
  =>
  (assert (hakb-finding (id "dag-duplicate-copy") (key (str-cat ?db "\\" ?srv)) (evidence ?a ?b)
            (vars database ?db server ?srv))))
