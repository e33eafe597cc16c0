delete from agreements
