def test_worker_starts_against_the_test_database(transactional_db, celery_worker):
    assert celery_worker.process.poll() is None
    assert "ready." in celery_worker.log()
