int answer_times(int x);
