"""What happens to a certificate after it is installed: renewal, revocation, health
checks and the emails that tell people about them.

A Django app of its own (label "lifecycle") so its bookkeeping tables and migrations
stay apart from the pipeline's.
"""
